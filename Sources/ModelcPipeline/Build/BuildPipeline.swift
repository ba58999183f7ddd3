import Crypto
import Foundation
import ModelcCompiler
import ModelcData
import ModelcFiles
import ModelcFormat
import ModelcRuntime
import ModelcTraining

/// `modelc build`: candles -> features -> labels -> purged walk-forward (train, compile and
/// replay each window through the runtime) -> the final models on the most recent span,
/// backtested on a held-out span -> one artifact with its model card.
public struct BuildPipeline {
    public let config: BuildConfig
    /// The config file's bytes, for the artifact's `config_digest`.
    public let configText: String
    public var computer: FeatureComputer = { candles, features, interval, warmup in
        try FeatureRows.runtime(candles, features: features, interval: interval, warmup: warmup)
    }
    /// Progress lines (stage by stage); standard error by default.
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }

    public init(config: BuildConfig, configText: String) {
        self.config = config
        self.configText = configText
    }

    /// What the build wrote.
    public struct Result {
        public let model: Modelc_Model
        public let bytes: [UInt8]
        /// The final models as the trainers left them (train/serve parity tests read them).
        let trained: TrainedComponents
    }

    public func run(output: String) throws -> Result {
        let layout = FeatureLayout(config)
        log("[1/5] data: \(config.data.files.count) file(s)")
        var symbols: [SymbolData] = []
        for file in config.data.files {
            let s = try SymbolData.load(file: file, config: config, layout: layout, computer: computer)
            log("  \(s.name): \(s.candles.count) candles, \(s.rows.count) feature rows, \(s.usable.filter { $0 }.count) usable, "
                + "\(UTCTime.iso8601(s.candles.first!.timestamp)) .. \(UTCTime.iso8601(s.candles.last!.timestamp))")
            symbols.append(s)
        }
        guard Set(symbols.map(\.interval)).count == 1 else {
            throw BuildConfigError("the candle files have different intervals: "
                + symbols.map { "\($0.name) \($0.interval) s" }.joined(separator: ", "))
        }
        let interval = symbols[0].interval
        log("[2/5] leakage checks: features recomputed on cut series")
        for s in symbols { try FeatureCausality.verify(s, features: layout.union, warmup: config.warmup, computer: computer) }

        let plan = try SplitPlan(config: config, symbols: symbols, interval: interval)
        log("  walk-forward: \(plan.windows.count) window(s); holdout \(UTCTime.iso8601(plan.holdoutStart)) .. "
            + "\(UTCTime.iso8601(plan.dataEnd)); label windows clear of every test span")
        let training = SpanTraining(config: config, layout: layout, symbols: symbols, log: { self.log("  " + $0) })
        let assembly = ArtifactAssembly(config: config, interval: interval, imported: try ImportedParts(config))
        var card = Modelc_ModelCard()
        var pooled: [ScoredRow] = []
        log("[3/5] walk-forward")
        for w in plan.windows {
            let label = "window \(w.index + 1)/\(plan.windows.count)"
            let trained = try training.train(rows: w.train, start: w.trainStart, end: w.trainEnd, label: label)
            let (compiled, _) = try PassPipeline.run(try assembly.model(trained), precision: config.precision)
            let eval = try evaluate(compiled, symbols, w.testStart, w.testEnd)
            var record = Modelc_WalkForwardWindow()
            record.index = UInt32(w.index)
            record.trainStart = w.trainStart
            record.trainEnd = w.trainEnd
            record.testStart = w.testStart
            record.testEnd = w.testEnd
            record.metrics = try CardMetrics.metrics(eval.rows, blend: config.blend, training: baseRates(w.train, symbols))
                + backtestMetrics(eval)
            record.backtest = eval.backtest
            card.windows.append(record)
            pooled += eval.rows
            log("  \(label): \(eval.rows.count) test rows, backtest return \(percent(eval.backtest.totalReturn)), "
                + "\(eval.backtest.trades) trades")
        }

        log("[4/5] final models: \(UTCTime.iso8601(plan.final.trainStart)) .. \(UTCTime.iso8601(plan.final.trainEnd))")
        let trained = try training.train(rows: plan.final.train, start: plan.final.trainStart, end: plan.final.trainEnd, label: "final")
        let f32 = try assembly.model(trained)
        var (model, passes) = try PassPipeline.run(f32, precision: config.precision)
        for (pass, changes) in passes where !changes.isEmpty { log("  \(pass): \(changes.count == 1 ? changes[0] : "\(changes.count) changes")") }
        let holdout = try evaluate(model, symbols, plan.holdoutStart, plan.dataEnd)
        card.backtest = holdout.backtest
        let finalRates = baseRates(plan.final.train, symbols)
        card.overall = try CardMetrics.metrics(pooled, blend: config.blend, training: finalRates)
            + CardMetrics.metrics(holdout.rows, blend: config.blend, training: finalRates, prefix: "holdout/")
            + backtestMetrics(holdout, prefix: "holdout/")
        card.calibration = CardMetrics.calibration(pooled)
        if let forest = trained.trees {
            card.importance = TrainedTreesExport.importance(forest, featureNames: config.trees.features.map(\.name))
                .sorted { $0.gain > $1.gain }
        }
        if config.precision != .f32 {
            let (reference, _) = try PassPipeline.run(f32, precision: .f32)
            card.fidelity = try fidelity(reference: reference, candidate: model, symbols: symbols, layout: layout, plan: plan)
        }
        card.notes = notes(plan: plan, symbols: symbols)
        model.card = card
        model.info = info(symbols: symbols, plan: plan)

        log("[5/5] compile: \(config.precision.rawValue) -> \(output)")
        let bytes = try ArtifactWriter.encode(model)
        try AtomicFile.write(bytes, to: output)
        return Result(model: model, bytes: bytes, trained: trained)
    }

    private func evaluate(_ model: Modelc_Model, _ symbols: [SymbolData], _ start: Int64, _ end: Int64) throws -> SpanEvaluation {
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model, compression: .none))
        return try SpanEvaluation(model: loaded, symbols: symbols, start: start, end: end, costs: config.backtest)
    }

    private func backtestMetrics(_ e: SpanEvaluation, prefix: String = "") -> [Modelc_Metric] {
        CardMetrics.backtest(e.backtest, component: "\(prefix)backtest/blend")
            + e.baselines.flatMap { CardMetrics.backtest($0.1, component: "\(prefix)backtest/\($0.0)") }
    }

    private func baseRates(_ rows: [RowRef], _ symbols: [SymbolData]) -> CardMetrics.BaseRates {
        var up = 0.0, long = 0.0, short = 0.0
        for r in rows {
            let s = symbols[r.series]
            if s.up[r.row]! { up += 1 }
            if s.long[r.row]! { long += 1 }
            if s.short[r.row]! { short += 1 }
        }
        let n = Double(max(rows.count, 1))
        return .init(up: up / n, long: long / n, short: short / n)
    }

    /// The chosen precision against f32 on up to 256 holdout windows of each network.
    private func fidelity(reference: Modelc_Model, candidate: Modelc_Model, symbols: [SymbolData], layout: FeatureLayout,
                          plan: SplitPlan) throws -> [Modelc_QuantizationFidelity] {
        var out: [Modelc_QuantizationFidelity] = []
        for (name, settings, columns) in [("long", config.long, layout.long), ("short", config.short, layout.short)] where settings.enabled {
            var windows: [[Double]] = []
            for s in symbols {
                for r in 0..<s.rows.count where s.usable[r] && s.timestamps[r] >= plan.holdoutStart {
                    windows.append((r - settings.sequenceLength + 1...r).flatMap { s.values($0, columns) })
                }
            }
            let step = max(1, windows.count / 256)
            let sample = stride(from: 0, to: windows.count, by: step).map { windows[$0] }
            out.append(try Fidelity.measure(reference: reference, candidate: candidate, component: name,
                                            precision: config.precision.rawValue, windows: sample))
        }
        return out
    }

    private func info(symbols: [SymbolData], plan: SplitPlan) -> Modelc_ModelInfo {
        var info = Modelc_ModelInfo()
        info.name = config.name
        info.version = config.version
        info.description_p = config.description
        info.producer = "modelc"
        info.producerVersion = ModelcVersion.string
        let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap { Int64($0) }
        info.createdUnix = epoch ?? Int64(Date().timeIntervalSince1970)
        var data = SHA256()
        for s in symbols {
            data.update(data: Data(s.name.utf8))
            data.update(data: (try? Data(contentsOf: URL(fileURLWithPath: s.file))) ?? Data())
        }
        info.dataDigest = "sha256:" + data.finalize().map { String(format: "%02x", $0) }.joined()
        info.configDigest = "sha256:" + SHA256.hash(data: Data(configText.utf8)).map { String(format: "%02x", $0) }.joined()
        let labels = config.labels.kind == .forward
            ? "forward h=\(config.labels.horizon) long>=\(config.labels.forward.longThreshold) short<=\(config.labels.forward.shortThreshold)"
            : "triple_barrier h=\(config.labels.horizon) tp=\(config.labels.tripleBarrier.takeProfit)xATR sl=\(config.labels.tripleBarrier.stopLoss)xATR"
        info.metadata = [
            "symbols": symbols.map(\.name).joined(separator: " "),
            "labels": labels,
            "walk_forward": "\(plan.windows.count) window(s), \(config.walkForward.scheme.rawValue)",
            "holdout": "\(UTCTime.iso8601(plan.holdoutStart)) .. \(UTCTime.iso8601(plan.dataEnd))",
            "final_training": "\(UTCTime.iso8601(plan.final.trainStart)) .. \(UTCTime.iso8601(plan.final.trainEnd))",
            "leakage_check": "passed: features causal on \(FeatureCausality.cuts) cuts per series; no training label window reaches a test span",
            "precision": config.precision.rawValue,
            "seed": String(config.seed),
        ]
        return info
    }

    private func notes(plan: SplitPlan, symbols: [SymbolData]) -> String {
        """
        Every number here was measured by replaying candles through the runtime: the compiled \
        models of each walk-forward window scored its test span, and the final artifact scored the \
        holdout span (\(UTCTime.iso8601(plan.holdoutStart)) .. \(UTCTime.iso8601(plan.dataEnd))), which no \
        model in this build trained or stopped early on. Metrics named <target>/<model> pool the \
        walk-forward test rows; holdout/... are the final artifact's. The backtest assumes fills at the \
        candle close, \(config.backtest.fee * 100) % fee and \(config.backtest.slippage * 100) % slippage per \
        side, equal capital per symbol, no funding, borrow or market impact. A few windows of one market \
        regime say little about the next: read these as a check that the pipeline is honest, not as a \
        forecast of returns.
        """
    }
}

private func percent(_ x: Double) -> String { String(format: "%+.2f %%", 100 * x) }
