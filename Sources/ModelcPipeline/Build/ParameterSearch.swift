import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import ModelcTraining

/// The `search:` block at work (Spec.md §14.5): `trials` parameter sets drawn from the ranges
/// (Sobol' points 1…n, or a seeded uniform draw), each scored on walk-forward windows by the
/// pooled out-of-fold ROC AUC of the components it changes, with successive halving: every trial
/// on the most recent window, the better half on the two most recent, and so on. The best trial's
/// parameters then build the model. A trial on a window is one independent unit of work —
/// `evaluate(trial:window:)` reads nothing but its config, the window and the symbols.
struct ParameterSearch {
    let config: BuildConfig
    let layout: FeatureLayout
    let symbols: [SymbolData]
    let windows: [WalkForwardWindow]
    let log: (String) -> Void

    /// One target's labels and probabilities on a window's test rows.
    typealias Scored = (target: String, labels: [Bool], scores: [Double])

    /// Runs the search; `score` evaluates a rung's trials on one window (the build hands them to
    /// its task cache and executor), in the order given.
    func run(score evaluateAll: ([(trial: Int, window: WalkForwardWindow)]) throws -> [[Scored]])
        throws -> (index: Int, config: BuildConfig, trials: [Modelc_SearchTrial])
    {
        let s = config.search
        let values = trialValues()
        let trials = try values.map { try apply($0) }
        let order = Array(windows.reversed())
        var alive = Array(trials.indices)
        var scored = [[Scored]](repeating: [], count: trials.count)
        var evaluated = [Int](repeating: 0, count: trials.count)
        var score = [Double](repeating: -.infinity, count: trials.count)
        for (rung, window) in order.enumerated() {
            let results = try evaluateAll(alive.map { ($0, window) })
            for (t, result) in zip(alive, results) {
                scored[t] += result
                evaluated[t] = rung + 1
                score[t] = try Self.pooledAUC(scored[t])
                log("search: trial \(t + 1)/\(trials.count) on \(rung + 1) window(s): AUC \(String(format: "%.4f", score[t])) "
                    + describe(values[t]))
            }
            if s.halving && rung < order.count - 1 && alive.count > 1 {
                alive = Array(alive.sorted { (score[$0], -$0) > (score[$1], -$1) }.prefix((alive.count + 1) / 2)).sorted()
            }
        }
        let best = alive.max { (score[$0], -$0) < (score[$1], -$1) }!
        let records = trials.indices.map { t -> Modelc_SearchTrial in
            var r = Modelc_SearchTrial()
            r.index = UInt32(t)
            r.parameters = Dictionary(uniqueKeysWithValues: zip(s.dimensions.map(\.key), values[t]))
            r.windows = UInt32(evaluated[t])
            r.score = score[t]
            r.chosen = t == best
            return r
        }
        log("search: trial \(best + 1) chosen " + describe(values[best]))
        return (best, trials[best], records)
    }

    /// Each trial's parameter values, in the order of `search.dimensions`.
    func trialValues() -> [[Double]] {
        points().map { p in zip(config.search.dimensions, p).map { $0.value($1) } }
    }

    /// The unit-cube points of the trials.
    private func points() -> [[Double]] {
        let s = config.search
        switch s.sampler {
        case .sobol:
            var sequence = SobolSequence(dimensions: s.dimensions.count)
            _ = sequence.next()  // the origin: every range's low end at once
            return (0..<s.trials).map { _ in sequence.next() }
        case .random:
            var g = SplitMix64(seed: config.seed ^ 0x5EA2_C4ED_5EA2_C4ED)
            return (0..<s.trials).map { _ in s.dimensions.map { _ in Double(g.next() >> 11) * 0x1p-53 } }
        }
    }

    private func describe(_ v: [Double]) -> String {
        "(" + zip(config.search.dimensions, v).map { d, x in
            if case .choice(let names) = d.range { return "\(d.key) \(names[Int(x)])" }
            return "\(d.key) \(String(format: "%.4g", x))"
        }.joined(separator: ", ") + ")"
    }

    /// The build config with one trial's values in place.
    func apply(_ values: [Double]) throws -> BuildConfig {
        var c = config
        c.search = SearchSettings()
        for (d, v) in zip(config.search.dimensions, values) {
            var choice: String?
            if case .choice(let names) = d.range { choice = names[Int(v)] }
            switch d.key {
            case "trees.learning_rate": c.trees.parameters.learningRate = v
            case "trees.min_data_in_leaf": c.trees.parameters.minDataInLeaf = Int(v)
            case "trees.feature_fraction": c.trees.parameters.featureFraction = v
            case "trees.bagging_fraction": c.trees.parameters.baggingFraction = v
            case "trees.lambda_l2": c.trees.parameters.lambdaL2 = v
            case "trees.num_trees": c.trees.parameters.numTrees = Int(v)
            case "trees.num_leaves", "trees.max_depth", "trees.policy":
                c.trees.growths = c.trees.growths.map { g in
                    switch (g, d.key) {
                    case (.leafWise(_, let depth), "trees.num_leaves"): return .leafWise(numLeaves: Int(v), maxDepth: depth)
                    case (.depthWise, "trees.max_depth"): return .depthWise(maxDepth: Int(v))
                    default: return g
                    }
                }
                if let choice {
                    let leafWise = c.trees.growths.first { if case .leafWise = $0 { true } else { false } } ?? .leafWise(numLeaves: 31)
                    let depthWise = c.trees.growths.first { if case .depthWise = $0 { true } else { false } } ?? .depthWise(maxDepth: 6)
                    c.trees.growths = choice == "both" ? [leafWise, depthWise] : choice == "depth_wise" ? [depthWise] : [leafWise]
                }
            case "trees.features": c.trees.features = choice == "base" ? FeatureCatalog.base : FeatureCatalog.all
            default:
                for keyPath in [\BuildConfig.long, \BuildConfig.short] {
                    switch d.key {
                    case "networks.hidden_size": c[keyPath: keyPath].hidden = Int(v)
                    case "networks.num_layers": c[keyPath: keyPath].layers = Int(v)
                    case "networks.sequence_length": c[keyPath: keyPath].sequenceLength = Int(v)
                    case "networks.dropout": c[keyPath: keyPath].dropout = v
                    case "networks.learning_rate": c[keyPath: keyPath].training.optimizer.learningRate = v
                    case "networks.epochs": c[keyPath: keyPath].training.epochs = Int(v)
                    case "networks.fc_hidden": c[keyPath: keyPath].fcHidden = Int(v)
                    default: throw BuildConfigError("search: no rule to apply \(d.key)")
                    }
                    // The attention's heads must divide the BiLSTM's 2H outputs: the largest that does.
                    let n = c[keyPath: keyPath]
                    c[keyPath: keyPath].heads = (1...n.heads).last { (2 * n.hidden) % $0 == 0 }!
                }
            }
        }
        return c
    }

    /// One trial on one window: the components the search changes, trained on the window's
    /// training rows and scored on its test rows (uncalibrated: ROC AUC does not see calibration).
    func evaluate(trial: BuildConfig, window w: WalkForwardWindow) throws -> [Scored] {
        let training = training(trial)
        let c = training.config, trialLayout = training.layout
        let trained = try training.train(rows: w.train, start: w.trainStart, end: w.trainEnd, label: "search", reference: false)
        let test = w.test
        func labels(_ target: TreeTarget) -> [Bool] { test.map { symbols[$0.series].label(target, $0.row) } }
        var out: [Scored] = []
        for t in trained.trees {
            let p = try TrainedTrees.probabilities(t.forests, rows: test, symbols: symbols, columns: trialLayout.trees)
            out.append(("\(t.target.rawValue) trees", labels(t.target), p))
        }
        for (name, network, columns, target) in [("long network", trained.long, trialLayout.long, TreeTarget.long),
                                                 ("short network", trained.short, trialLayout.short, TreeTarget.short)] {
            guard let network else { continue }
            let length = name.hasPrefix("long") ? c.long.sequenceLength : c.short.sequenceLength
            var raw: [Double] = []
            for ref in test { raw += symbols[ref.series].window(ending: ref.row, length: length, columns: columns) }
            let scaled = try network.scaler.apply(to: try FeatureMatrix(columns: columns.count, values: raw))
            out.append((name, labels(target), try network.ensemble.probabilities(windows: scaled, count: test.count)))
        }
        return out
    }

    /// What a trial trains: the components the search changes, on the build's feature union.
    func training(_ trial: BuildConfig) -> SpanTraining {
        var c = trial
        if !config.search.searchesNetworks { c.long.enabled = false; c.short.enabled = false }
        if !config.search.searchesTrees { c.trees.enabled = false }
        return SpanTraining(config: c, layout: FeatureLayout(c, union: layout.union), symbols: symbols, log: { _ in })
    }

    /// The mean over targets of the ROC AUC of each target's rows pooled over the windows so far.
    static func pooledAUC(_ scored: [Scored]) throws -> Double {
        let targets = Array(Set(scored.map(\.target))).sorted()
        var total = 0.0
        for t in targets {
            let parts = scored.filter { $0.target == t }
            total += try BinaryMetrics.rocAUC(labels: parts.flatMap(\.labels), scores: parts.flatMap(\.scores))
        }
        return total / Double(targets.count)
    }
}
