import Foundation
import ModelcRuntime
import ModelcTraining

/// A trained network with the standardisation it was trained on.
struct TrainedNetwork {
    let ensemble: SnapshotEnsemble
    let scaler: FeatureScaler
    let features: [FeatureDefinition]
}

/// One tree component: a forest per growth policy, averaged (Spec.md §14.1 `trees.policy`).
struct TrainedTrees {
    let target: TreeTarget
    let forests: [TrainedForest]
    /// The early-stopped forests, when `forests` were refitted on every row of the span with their
    /// tree counts (`trees.refit`): their probabilities on the early-stopping rows fit the
    /// calibrator, since the refitted forests trained on those rows. Nil without a refit.
    var stopped: [TrainedForest]? = nil
}

extension TrainedTrees {
    /// The float32 rows the trees read: `columns` of each referenced row, one row after another.
    static func rows(_ refs: [RowRef], symbols: [SymbolData], columns: [Int]) -> [Float] {
        var x: [Float] = []
        x.reserveCapacity(refs.count * columns.count)
        for ref in refs {
            let s = symbols[ref.series]
            for c in columns { x.append(Float(s.rows.values[ref.row * s.rows.columns + c])) }
        }
        return x
    }

    /// The mean probability of `forests` on the referenced rows, as a component joins its members.
    static func probabilities(_ forests: [TrainedForest], rows refs: [RowRef], symbols: [SymbolData],
                              columns: [Int]) throws -> [Double] {
        let x = rows(refs, symbols: symbols, columns: columns)
        var p = [Double](repeating: 0, count: refs.count)
        for forest in forests {
            for (i, q) in try forest.probabilities(x).enumerated() { p[i] += q / Double(forests.count) }
        }
        return p
    }
}

/// What one training span produced.
struct TrainedComponents {
    var trees: [TrainedTrees] = []
    var long: TrainedNetwork?
    var short: TrainedNetwork?
    /// The plain reference per specialist target: one leaf-wise forest with LightGBM's default
    /// parameters on every row of the span (Spec.md §14.3); scored by the build, not in the artifact.
    var reference: [(target: TreeTarget, forest: TrainedForest)] = []
    /// The rows that stopped training early: what the calibrators are fitted on.
    var validation: [RowRef] = []
}

/// Trains every enabled component on the rows of one span. The last `validationFraction` of
/// the span (by time) stops training early; a purge of the label horizon separates it from
/// the rows the models fit, so no fitted label is settled inside the validation rows.
struct SpanTraining {
    let config: BuildConfig
    let layout: FeatureLayout
    let symbols: [SymbolData]
    let log: (String) -> Void

    func train(rows: [RowRef], start: Int64, end: Int64, label: String, reference: Bool = true) throws -> TrainedComponents {
        let cutoff = end - Int64(Double(end - start) * config.walkForward.validationFraction)
        let purge = Int64(config.labels.horizon) * interval
        let fit = rows.filter { time($0) < cutoff - purge }
        let validation = rows.filter { time($0) >= cutoff }
        guard !fit.isEmpty, !validation.isEmpty else {
            throw BuildConfigError("\(label): \(fit.count) rows to fit and \(validation.count) to validate on; the training span is too short")
        }
        var out = TrainedComponents()
        out.validation = validation
        if config.trees.enabled && config.trees.imported == nil {
            for target in config.trees.targets {
                var forests: [TrainedForest] = [], stopped: [TrainedForest] = []
                for growth in config.trees.growths {
                    var p = config.trees.parameters
                    p.seed = config.seed
                    p.growth = growth
                    let result = try GBDTTrainer.train(try treeData(fit, target: target), validation: try treeData(validation, target: target),
                                                       parameters: p)
                    stopped.append(result.forest)
                    log("\(label): \(target.rawValue) trees (\(growth.name)) on \(fit.count) rows: \(result.forest.trees.count) kept of "
                        + "\(result.treesTrained) (\(validation.count) rows to stop early)")
                    guard config.trees.refit else { forests.append(result.forest); continue }
                    // The most recent rows matter most in markets that drift: train again on all of them.
                    p.numTrees = max(1, result.forest.trees.count)
                    p.earlyStopping = nil
                    forests.append(try GBDTTrainer.train(try treeData(rows, target: target), validation: nil, parameters: p).forest)
                }
                out.trees.append(TrainedTrees(target: target, forests: forests, stopped: config.trees.refit ? stopped : nil))
            }
        }
        for target in [TreeTarget.long, .short] where reference {
            var p = GBDTParameters.reference
            p.seed = config.seed
            p.threads = config.trees.parameters.threads
            out.reference.append((target, try GBDTTrainer.train(try treeData(rows, target: target), validation: nil, parameters: p).forest))
        }
        if config.long.enabled && config.long.imported == nil {
            out.long = try network(config.long, columns: layout.long, target: \.long, fit: fit, validation: validation, label: "\(label): LONG network")
        }
        if config.short.enabled && config.short.imported == nil {
            out.short = try network(config.short, columns: layout.short, target: \.short, fit: fit, validation: validation,
                                    label: "\(label): SHORT network")
        }
        return out
    }

    var interval: Int64 { symbols.first?.interval ?? 3_600 }

    func time(_ ref: RowRef) -> Int64 { symbols[ref.series].timestamps[ref.row] }

    /// Float rows of the trees' columns and the target's labels.
    func treeData(_ refs: [RowRef], target: TreeTarget) throws -> GBDTDataset {
        try GBDTDataset(features: TrainedTrees.rows(refs, symbols: symbols, columns: layout.trees), columns: layout.trees.count,
                        labels: refs.map { symbols[$0.series].label(target, $0.row) })
    }

    private func network(_ settings: NetworkSettings, columns: [Int], target: KeyPath<SymbolData, [Bool?]>, fit: [RowRef],
                         validation: [RowRef], label: String) throws -> TrainedNetwork {
        let names = settings.features.map(\.name)
        let matrices = try symbols.map { s in
            var v: [Double] = []
            v.reserveCapacity(s.rows.count * columns.count)
            for r in 0..<s.rows.count { for c in columns { v.append(s.rows.values[r * s.rows.columns + c]) } }
            return try FeatureMatrix(columns: columns.count, values: v)
        }
        let scaler = try FeatureScaler.fit(.standard, matrices: matrices, rows: fit, names: names)
        var scaled: [Float] = []
        var offsets: [Int] = []
        for m in matrices {
            offsets.append(scaled.count / columns.count)
            scaled += try scaler.apply(to: m)
        }
        func dataset(_ refs: [RowRef]) throws -> SequenceDataset {
            try SequenceDataset(
                featureCount: columns.count, sequenceLength: settings.sequenceLength, rows: scaled,
                windowEnds: refs.map { offsets[$0.series] + $0.row },
                labels: refs.map { symbols[$0.series][keyPath: target][$0.row]! ? 1 : 0 },
                runStarts: refs.map { offsets[$0.series] + symbols[$0.series].runStart($0.row, warmup: config.warmup) })
        }
        let train = try dataset(fit), valid = try dataset(validation)
        let positives = train.labels.filter { $0 == 1 }.count
        guard positives > 0, positives < train.count else {
            throw BuildConfigError("\(label): the \(train.count) training windows are all one class; widen the span or change the thresholds")
        }
        log("\(label): \(train.count) windows (\(positives) positive), \(valid.count) to stop early")
        var training = settings.training
        training.seed = config.seed
        let model = try SequenceModel(spec: settings.spec, seed: config.seed &+ 1)
        let trainer = try LstmTrainer(model: model, config: training)
        let printer = TrainingProgressPrinter(.epochs, write: { line in log("\(label): \(line.trimmingCharacters(in: .newlines))") })
        try trainer.train(train: train, validation: valid, progress: { printer($0) })
        return TrainedNetwork(ensemble: try trainer.ensemble(), scaler: scaler, features: settings.features)
    }
}
