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
    /// The config; after a search, the chosen trial's.
    public private(set) var config: BuildConfig
    /// The config file's bytes, for the artifact's `config_digest`.
    public let configText: String
    public var computer: FeatureComputer = { candles, features, interval, warmup in
        try FeatureRows.runtime(candles, features: features, interval: interval, warmup: warmup)
    }
    /// Progress lines (stage by stage); standard error by default.
    public var log: (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    /// Where task outputs are kept between builds (Spec.md §14.6); nil: every task runs in this
    /// process and nothing is kept.
    public var cache: TaskCache?
    /// Runs the tasks the cache lacks elsewhere (other processes, a cluster) and returns once each
    /// output is in the cache; nil: they run here one after another, each stored as it finishes.
    public var executor: (([BuildTask]) throws -> Void)?
    /// Set by `plan()`: stop at the first stage with tasks the cache lacks.
    private var planning = false

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

    /// The candles, featurised and labelled, and the splits: what every stage and task reads.
    struct Prepared {
        let symbols: [SymbolData]
        /// The config's feature layout; with a search over `trees.features`, over every feature.
        let layout: FeatureLayout
        let plan: SplitPlan
        let interval: Int64
    }

    public func run(output: String) throws -> Result {
        let d = try prepare(checkLeakage: !planning)
        guard config.search.enabled else { return try build(d, layout: d.layout, chosen: nil, trials: [], output: output) }
        log("  search: \(config.search.trials) trials of \(config.search.dimensions.map(\.key).joined(separator: ", ")) "
            + "(\(config.search.sampler.rawValue)\(config.search.halving ? ", successive halving" : ""))")
        let search = ParameterSearch(config: config, layout: d.layout, symbols: d.symbols, windows: d.plan.windows, log: { self.log("  " + $0) })
        let trials = try search.trialValues().map { try search.apply($0) }
        let (index, chosen, records) = try search.run { pairs in
            try outputs(pairs.map { searchTask(search, trial: $0.trial, config: trials[$0.trial], window: $0.window) },
                        decode: { try TrialScores.decoded($0, name: $1) }, encode: TrialScores.encoded) { task in
                try search.evaluate(trial: trials[task.trial!], window: d.plan.windows[task.window!])
            }
        }
        var pipeline = self
        pipeline.config = chosen
        return try pipeline.build(d, layout: FeatureLayout(chosen, union: d.layout.union), chosen: index, trials: records, output: output)
    }

    /// The tasks the cache lacks at the first stage that has any (search rungs come one after
    /// another, each choosing the next one's trials); empty when every task's output is cached.
    public func plan() throws -> [BuildTask] {
        var p = self
        p.planning = true
        do { _ = try p.run(output: "") } catch let pending as PendingTasks { return pending.tasks }
        return []
    }

    /// Runs one task of a plan and stores its output in the cache (`modelc run-task`). The task's
    /// key is computed again from this config and data: a plan made from other bytes is refused.
    public func perform(_ task: BuildTask) throws {
        guard let cache else { throw BuildConfigError("\(task.id): no cache to store the output in") }
        let d = try prepare(checkLeakage: false)
        let search = ParameterSearch(config: config, layout: d.layout, symbols: d.symbols, windows: d.plan.windows, log: { _ in })
        let values = config.search.enabled ? search.trialValues() : []
        if let t = task.trial, !values.indices.contains(t) { throw BuildConfigError("\(task.id): the config has no search trial \(t + 1)") }
        if let w = task.window, !d.plan.windows.indices.contains(w) { throw BuildConfigError("\(task.id): the config has no window \(w + 1)") }
        let payload: [UInt8], made: BuildTask
        switch task.kind {
        case .search:
            guard let t = task.trial, let w = task.window else { throw BuildConfigError("\(task.id): a search task names its trial and window") }
            let trial = try search.apply(values[t])
            made = searchTask(search, trial: t, config: trial, window: d.plan.windows[w])
            guard made.key == task.key else { throw staleTask(task) }
            payload = TrialScores.encoded(try search.evaluate(trial: trial, window: d.plan.windows[w]))
        case .window, .final:
            var pipeline = self
            var layout = d.layout
            if let t = task.trial {
                pipeline.config = try search.apply(values[t])
                layout = FeatureLayout(pipeline.config, union: d.layout.union)
            }
            let training = pipeline.training(d, layout: layout)
            made = pipeline.spanTasks(training, d, chosen: task.trial).first { $0.id == task.id }
                ?? BuildTask(id: task.id, kind: task.kind, trial: task.trial, window: task.window, key: "")
            guard made.key == task.key else { throw staleTask(task) }
            let span = task.kind == .final ? d.plan.final : d.plan.windows[task.window!]
            payload = try training.train(rows: span.train, start: span.trainStart, end: span.trainEnd, label: task.id).encoded()
        }
        try cache.store(task.key, payload)
    }

    private func staleTask(_ task: BuildTask) -> BuildConfigError {
        BuildConfigError("\(task.id): the plan's key is not this config's and data's: plan again (`modelc plan`)")
    }

    /// Candles to feature rows and labels, the leakage checks, and the splits.
    private func prepare(checkLeakage: Bool) throws -> Prepared {
        // A search may pick any feature set and window length: the rows hold them all, and a row is
        // usable only when the longest window it may be read with is full.
        let searched = config.search.enabled ? config.search.dimensions : []
        let layout = FeatureLayout(config, union: searched.contains { $0.key == "trees.features" } ? FeatureCatalog.all : [])
        var loading = config
        for d in searched where d.key == "networks.sequence_length" {
            if case .numeric(_, let hi, _, _) = d.range {
                loading.long.sequenceLength = max(loading.long.sequenceLength, Int(hi))
                loading.short.sequenceLength = max(loading.short.sequenceLength, Int(hi))
            }
        }
        log("[1/5] data: \(config.data.files.count) file(s)")
        var symbols: [SymbolData] = []
        for file in config.data.files {
            let s = try SymbolData.load(file: file, config: loading, layout: layout, computer: computer)
            log("  \(s.name): \(s.candles.count) candles, \(s.rows.count) feature rows, \(s.usable.filter { $0 }.count) usable, "
                + "\(UTCTime.iso8601(s.candles.first!.timestamp)) .. \(UTCTime.iso8601(s.candles.last!.timestamp))")
            symbols.append(s)
        }
        guard Set(symbols.map(\.interval)).count == 1 else {
            throw BuildConfigError("the candle files have different intervals: "
                + symbols.map { "\($0.name) \($0.interval) s" }.joined(separator: ", "))
        }
        let interval = symbols[0].interval
        if checkLeakage {
            log("[2/5] leakage checks: features recomputed on cut series")
            for s in symbols { try FeatureCausality.verify(s, features: layout.union, warmup: config.warmup, computer: computer) }
        }
        let plan = try SplitPlan(config: config, symbols: symbols, interval: interval)
        log("  walk-forward: \(plan.windows.count) window(s); holdout \(UTCTime.iso8601(plan.holdoutStart)) .. "
            + "\(UTCTime.iso8601(plan.dataEnd)); label windows clear of every test span")
        return Prepared(symbols: symbols, layout: layout, plan: plan, interval: interval)
    }

    private func training(_ d: Prepared, layout: FeatureLayout) -> SpanTraining {
        SpanTraining(config: config, layout: layout, symbols: d.symbols, log: { self.log("  " + $0) })
    }

    /// One search trial on one window, as a task.
    private func searchTask(_ search: ParameterSearch, trial: Int, config: BuildConfig, window w: WalkForwardWindow) -> BuildTask {
        let key = search.training(config).key("search", rows: w.train, start: w.trainStart, end: w.trainEnd, scored: w.test)
        return BuildTask(id: "search-t\(trial + 1)-w\(w.index + 1)", kind: .search, trial: trial, window: w.index, key: key)
    }

    /// Training on every walk-forward window and on the final span, as tasks: windows first.
    private func spanTasks(_ training: SpanTraining, _ d: Prepared, chosen: Int?) -> [BuildTask] {
        d.plan.windows.map { w in
            BuildTask(id: "window-\(w.index + 1)", kind: .window, trial: chosen, window: w.index,
                      key: training.key("window", rows: w.train, start: w.trainStart, end: w.trainEnd))
        } + [BuildTask(id: "final", kind: .final, trial: chosen, window: nil,
                       key: training.key("final", rows: d.plan.final.train, start: d.plan.final.trainStart, end: d.plan.final.trainEnd))]
    }

    /// The outputs of `tasks`, in order: from the cache where it holds them, else computed here or
    /// by the executor and stored. Without a cache, computed here.
    private func outputs<T>(_ tasks: [BuildTask], decode: ([UInt8], String) throws -> T, encode: (T) -> [UInt8],
                            compute: (BuildTask) throws -> T) throws -> [T] {
        guard let cache else { return try tasks.map(compute) }
        func cached(_ task: BuildTask) -> T? {
            guard let bytes = cache.load(task.key, reject: log) else { return nil }
            do { return try decode(bytes, task.id) } catch {
                log("cache entry \(cache.path(task.key)) (\(task.id)): \(error); removed, the task runs again")
                unlink(cache.path(task.key))
                return nil
            }
        }
        var found = tasks.map(cached)
        let missing = tasks.indices.filter { found[$0] == nil }
        log("  tasks: \(tasks.count - missing.count) of \(tasks.count) cached" + (missing.isEmpty ? "" : ", \(missing.count) to run"))
        guard !missing.isEmpty else { return found.map { $0! } }
        if planning { throw PendingTasks(tasks: missing.map { tasks[$0] }) }
        if let executor {
            try executor(missing.map { tasks[$0] })
            for i in missing {
                guard let value = cached(tasks[i]) else {
                    throw BuildConfigError("\(tasks[i].id): the executor finished but \(cache.path(tasks[i].key)) holds no output")
                }
                found[i] = value
            }
        } else {
            for i in missing {
                let value = try compute(tasks[i])
                try cache.store(tasks[i].key, encode(value))
                found[i] = value
            }
        }
        return found.map { $0! }
    }

    /// Everything after the splits, with the config the search chose (trial `chosen`).
    private func build(_ d: Prepared, layout: FeatureLayout, chosen: Int?, trials: [Modelc_SearchTrial], output: String) throws -> Result {
        let symbols = d.symbols, plan = d.plan, interval = d.interval
        let training = training(d, layout: layout)
        let spans = plan.windows.map { (span: $0, label: "window \($0.index + 1)/\(plan.windows.count)") } + [(plan.final, "final")]
        log("[3/5] walk-forward")
        let trainedSpans = try outputs(spanTasks(training, d, chosen: chosen),
                                       decode: { try TrainedComponents.decoded($0, name: $1, config: config) }, encode: { $0.encoded() }) { task in
            let (w, label) = task.kind == .final ? spans.last! : spans[task.window!]
            return try training.train(rows: w.train, start: w.trainStart, end: w.trainEnd, label: label)
        }
        if planning { throw PendingTasks(tasks: []) }
        let assembly = ArtifactAssembly(config: config, interval: interval, imported: try ImportedParts(config))
        let specialists = !(config.trees.enabled && config.trees.isDirection)
        let fixed = fixedPolicy()
        var windows: [SpanEvaluation] = []
        for (w, trained) in zip(plan.windows, trainedSpans) {
            let label = "window \(w.index + 1)/\(plan.windows.count)"
            let (compiled, _) = try PassPipeline.run(try assembly.model(trained, policy: fixed), precision: config.precision)
            windows.append(try evaluate(compiled, trained, symbols, layout, w.testStart, w.testEnd, label: label))
        }

        var fit: PolicyFit.Result?
        var policy = fixed
        if specialists && config.blend.fit {
            let result = try PolicyFit(settings: config.blend, horizon: config.labels.horizon, windows: windows).fit()
            policy = result.policy
            fit = result
            log("  policy fitted on \(windows.map(\.rows.count).reduce(0, +)) out-of-fold rows: trees' share LONG \(policy.longTreeWeight), "
                + "SHORT \(policy.shortTreeWeight); entry LONG \(describe(policy.longEntry)), SHORT \(describe(policy.shortEntry)); hold \(policy.hold)"
                + (result.abstentions.isEmpty ? "" : "; " + result.abstentions.joined(separator: "; ")))
        }

        var card = Modelc_ModelCard()
        var pooled: [ScoredRow] = []
        var pooledSignals: [Signal] = []
        for (w, eval) in zip(plan.windows, windows) {
            let blend = blendDefinition(eval, policy)
            let signals = signalsOfRows(eval, blend)
            var record = Modelc_WalkForwardWindow()
            record.index = UInt32(w.index)
            record.trainStart = w.trainStart
            record.trainEnd = w.trainEnd
            record.testStart = w.testStart
            record.testEnd = w.testEnd
            record.metrics = try CardMetrics.metrics(eval.rows, components: eval.components, blend: blend, signals: signals,
                                                     training: baseRates(w.train, symbols))
                + backtestMetrics(eval, blend)
            record.backtest = eval.backtest(blend)
            card.windows.append(record)
            pooled += eval.rows
            pooledSignals += signals
            log("  window \(w.index + 1): \(eval.rows.count) test rows, backtest return \(percent(record.backtest.totalReturn)), "
                + "\(record.backtest.trades) trades")
        }

        log("[4/5] final models: \(UTCTime.iso8601(plan.final.trainStart)) .. \(UTCTime.iso8601(plan.final.trainEnd))")
        let trained = trainedSpans.last!
        let f32 = try assembly.model(trained, policy: policy)
        var (model, passes) = try PassPipeline.run(f32, precision: config.precision)
        for (pass, changes) in passes where !changes.isEmpty { log("  \(pass): \(changes.count == 1 ? changes[0] : "\(changes.count) changes")") }
        let holdout = try evaluate(model, trained, symbols, layout, plan.holdoutStart, plan.dataEnd, label: "final")
        let blend = blendDefinition(holdout, policy)
        let holdoutSignals = signalsOfRows(holdout, blend)
        card.backtest = holdout.backtest(blend)
        let finalRates = baseRates(plan.final.train, symbols)
        let pooledBlend = blendDefinition(windows.first ?? holdout, policy)
        card.overall = try CardMetrics.metrics(pooled, components: windows.first?.components ?? [], blend: pooledBlend, signals: pooledSignals,
                                               training: finalRates)
            + CardMetrics.metrics(holdout.rows, components: holdout.components, blend: blend, signals: holdoutSignals, training: finalRates,
                                  prefix: "holdout/")
            + backtestMetrics(holdout, blend, prefix: "holdout/")
        card.calibration = CardMetrics.calibration(pooled, components: windows.first?.components ?? [])
        card.policyFit = fit?.points ?? []
        card.search = trials
        var importance: [String: (gain: Double, splits: UInt32)] = [:]
        for t in trained.trees {
            for forest in t.forests {
                for f in TrainedTreesExport.importance(forest, featureNames: config.trees.features.map(\.name)) {
                    importance[f.feature, default: (0, 0)].gain += f.gain
                    importance[f.feature, default: (0, 0)].splits += f.splits
                }
            }
        }
        card.importance = importance.map { name, v in
            var f = Modelc_FeatureImportance()
            f.feature = name
            f.gain = v.gain
            f.splits = v.splits
            return f
        }.sorted { ($0.gain, $1.feature) > ($1.gain, $0.feature) }
        if config.precision != .f32 {
            let (reference, _) = try PassPipeline.run(f32, precision: .f32)
            card.fidelity = try fidelity(reference: reference, candidate: model, symbols: symbols, layout: layout, plan: plan)
        }
        // Quantised against f32 before calibration (the same map follows both).
        for (i, c) in holdout.calibrators.enumerated() { if let c { model.components[i].calibrator = Modelc_Calibrator(c) } }
        card.headline = Headline.text(card.overall, policy: specialists ? policy : nil, abstentions: fit?.abstentions ?? [])
        card.notes = notes(plan: plan, symbols: symbols, abstentions: fit?.abstentions ?? [])
        model.card = card
        model.info = info(symbols: symbols, plan: plan)
        log("  " + card.headline)

        log("[5/5] compile: \(config.precision.rawValue) -> \(output)")
        let bytes = try ArtifactWriter.encode(model)
        try AtomicFile.write(bytes, to: output)
        return Result(model: model, bytes: bytes, trained: trained)
    }

    /// The blend a span is scored with: the fitted (or fixed) specialists policy as the runtime
    /// reads it, or the direction blend the compiled artifact carries.
    private func blendDefinition(_ e: SpanEvaluation, _ policy: SpecialistPolicy) -> BlendDefinition {
        if !(config.trees.enabled && config.trees.isDirection) { return policy.definition(components: e.components) }
        return e.artifactBlend ?? BlendDefinition()
    }

    /// The policy of `blend.fit: false` (and the placeholder every window is compiled with before the fit).
    private func fixedPolicy() -> SpecialistPolicy {
        let b = config.blend
        var p = SpecialistPolicy()
        let share = b.treeWeight / (b.treeWeight + b.networkWeight)
        p.longTreeWeight = share
        p.shortTreeWeight = share
        p.longEntry = b.longEntry
        p.shortEntry = b.shortEntry
        p.longVeto = b.longVeto
        p.shortVeto = b.shortVeto
        p.hold = b.hold ?? config.labels.horizon
        p.maxPosition = b.maxPosition
        return p
    }

    /// The signal of each evaluated row under `blend`.
    private func signalsOfRows(_ e: SpanEvaluation, _ blend: BlendDefinition) -> [Signal] {
        let decisions = e.decisions(blend)
        return e.rows.map { decisions[$0.series][$0.candle].signal }
    }

    /// Replays a compiled model (calibrators not yet set) over a span after fitting its calibrators
    /// on the span's early-stopping rows.
    private func evaluate(_ model: Modelc_Model, _ trained: TrainedComponents, _ symbols: [SymbolData], _ layout: FeatureLayout,
                          _ start: Int64, _ end: Int64, label: String) throws -> SpanEvaluation {
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model, compression: .none))
        let calibrators = try ComponentCalibration.fit(loaded, method: config.calibration, rows: trained.validation, symbols: symbols,
                                                       layout: layout, trees: trained.trees, label: label)
        var e = try SpanEvaluation(model: loaded, symbols: symbols, start: start, end: end, costs: config.backtest,
                                   references: trained.reference, treeColumns: layout.trees.isEmpty ? Array(layout.union.indices) : layout.trees)
        e.calibrate(calibrators)
        return e
    }

    private func backtestMetrics(_ e: SpanEvaluation, _ blend: BlendDefinition, prefix: String = "") -> [Modelc_Metric] {
        var out = CardMetrics.backtest(e.backtest(blend), component: "\(prefix)backtest/blend")
        for (name, treeOnly) in [("trees", true), ("network", false)] {
            var b = blend
            switch b.mode {
            case .direction:
                b.treeWeight = treeOnly ? 1 : 0
                b.networkWeight = treeOnly ? 0 : 1
            case .specialists:
                let keep: (BlendInput) -> Bool = { input in
                    (ComponentSlot(rawValue: e.components[input.component])?.model == "trees") == treeOnly
                }
                b.longInputs = b.longInputs.filter(keep).map { BlendInput(component: $0.component, weight: 1) }
                b.shortInputs = b.shortInputs.filter(keep).map { BlendInput(component: $0.component, weight: 1) }
                if b.longInputs.isEmpty && b.shortInputs.isEmpty { continue }
            }
            out += CardMetrics.backtest(e.backtest(b), component: "\(prefix)backtest/\(name)")
        }
        out += CardMetrics.backtest(e.buyAndHold, component: "\(prefix)backtest/buy_and_hold")
        out += CardMetrics.backtest(e.backtest(positions: e.replays.map { $0.candles.map { _ in 0 } }), component: "\(prefix)backtest/flat")
        return out
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
                    windows.append(s.window(ending: r, length: settings.sequenceLength, columns: columns))
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
        info.dataDigest = "sha256:" + TaskCache.hex(data.finalize())
        info.configDigest = "sha256:" + TaskCache.digest(Data(configText.utf8))
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

    private func notes(plan: SplitPlan, symbols: [SymbolData], abstentions: [String]) -> String {
        (abstentions.isEmpty ? "" : abstentions.joined(separator: ". ") + ". ") + """
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

private func describe(_ entry: Double) -> String { entry > 1 ? "never" : String(format: "%.3f", entry) }
