import Foundation
import ModelcCompiler
import ModelcRuntime
import ModelcTraining

extension BuildConfig {
    /// Reads a build config; unknown keys and bad values are errors naming the file, line, key
    /// and what is allowed. Relative paths are resolved against the file's folder.
    public static func load(path: String) throws -> BuildConfig {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BuildConfigError("\(path): cannot read the build config")
        }
        let folder = URL(fileURLWithPath: path).absoluteURL.deletingLastPathComponent()
        return try parse(yaml: text, file: path, folder: folder)
    }

    static func parse(yaml: String, file: String, folder: URL) throws -> BuildConfig {
        var c = BuildConfig()
        let top = try ConfigNode.root(yaml: yaml, file: file).mapping(allowed: [
            "name", "version", "description", "seed", "output", "warmup", "data", "labels", "walk_forward", "trees",
            "networks", "blend", "calibration", "search", "precision", "backtest",
        ])
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : folder.appendingPathComponent(p).standardized.path }
        if let n = top["name"] { c.name = try n.string() }
        if let n = top["version"] {
            c.version = try n.string()
            guard SemanticVersion.isValid(c.version) else { throw n.fail(SemanticVersion.problem(c.version)) }
        }
        if let n = top["description"] { c.description = try n.string() }
        if let n = top["seed"] { c.seed = UInt64(try n.int(0...Int.max)) }
        if let n = top["output"] { c.output = resolve(try n.string()) }
        if let n = top["warmup"] { c.warmup = try n.int(1...100_000) }
        if let n = top["precision"] { c.precision = WeightPrecision(rawValue: try n.choice(WeightPrecision.allCases.map(\.rawValue)))! }
        if let n = top["data"] { c.data = try dataSettings(n, resolve: resolve) } else { throw top.missing("data", file) }
        if let n = top["labels"] { c.labels = try labelSettings(n) }
        if let n = top["walk_forward"] { c.walkForward = try walkForwardSettings(n) }
        // A config written for format 1.0 (the direction blend's keys, or an imported tree model, and
        // no `trees.targets`) keeps building the direction model it always built.
        func keys(_ n: ConfigNode?) -> [String] { n?.node.mapping?.map { $0.key.scalar?.string ?? "" } ?? [] }
        if !keys(top["trees"]).contains("targets"),
           keys(top["trees"]).contains("import") || keys(top["blend"]).contains(where: { BlendSettings.directionKeys.contains($0) }) {
            c.trees.targets = [.direction]
            c.calibration = .none  // its blend's thresholds were chosen for uncalibrated probabilities
            c.trees.refit = false
        }
        if let n = top["trees"] { try treeSettings(n, into: &c.trees, resolve: resolve) }
        if let n = top["networks"] {
            let m = try n.mapping(allowed: ["long", "short"])
            if let l = m["long"] { try networkSettings(l, into: &c.long, resolve: resolve) }
            if let s = m["short"] { try networkSettings(s, into: &c.short, resolve: resolve) }
        }
        if let n = top["blend"] { c.blend = try blendSettings(n, direction: c.trees.enabled && c.trees.isDirection) }
        else if c.trees.enabled && c.trees.isDirection { c.blend.fit = false }
        if let n = top["search"] {
            c.search = try searchSettings(n)
            if c.search.searchesTrees && !(c.trees.enabled && c.trees.imported == nil) { throw n.fail("searches trees, but no trees are trained") }
            if c.search.searchesNetworks && !((c.long.enabled && c.long.imported == nil) || (c.short.enabled && c.short.imported == nil)) {
                throw n.fail("searches networks, but no network is trained")
            }
        }
        if let n = top["calibration"] {
            let m = try n.mapping(allowed: ["method"])
            if let v = m["method"] { c.calibration = CalibrationMethod(rawValue: try v.choice(CalibrationMethod.allCases.map(\.rawValue)))! }
        }
        if let n = top["backtest"] {
            let m = try n.mapping(allowed: ["fee", "slippage"])
            if let v = m["fee"] { c.backtest.fee = try v.double(0...0.1) }
            if let v = m["slippage"] { c.backtest.slippage = try v.double(0...0.1) }
        }
        guard c.trees.enabled || c.long.enabled || c.short.enabled else {
            throw BuildConfigError("\(file): trees, networks.long and networks.short are all disabled: nothing to build")
        }
        return c
    }

    private static func dataSettings(_ n: ConfigNode, resolve: (String) -> String) throws -> DataSettings {
        var d = DataSettings()
        let m = try n.mapping(allowed: ["files", "directory", "symbols", "interval", "from", "to"])
        if let f = m["files"] {
            for item in f.node.scalar != nil ? [f] : try f.list() {
                let file = resolve(try item.string())
                guard !d.files.contains(file) else { throw item.fail("\(file) is listed twice; give each candle file once") }
                d.files.append(file)
            }
        }
        if let dir = m["directory"] {
            guard let symbols = m["symbols"] else { throw dir.fail("a directory needs `symbols` (e.g. [BTCUSDT, ETHUSDT])") }
            let folder = resolve(try dir.string())
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            guard !names.isEmpty else { throw dir.fail("'\(folder)' is not a readable folder of candle files") }
            let interval = try m["interval"]?.duration()
            for s in try symbols.list() {
                let symbol = try s.string()
                switch CandleFileFinder.file(for: symbol, among: names, folder: folder, interval: interval) {
                case .success(let name):
                    guard !d.files.contains(folder + "/" + name) else { throw s.fail("\(symbol) is listed twice; give each symbol once") }
                    d.files.append(folder + "/" + name)
                case .failure(let refusal):
                    throw s.fail(refusal.message)
                }
            }
        } else if let s = m["symbols"] {
            throw s.fail("symbols pick files from a `directory`; with `files` leave it out")
        }
        guard !d.files.isEmpty else { throw n.fail("give candle `files`, or a `directory` and `symbols`") }
        if let v = m["interval"] { d.interval = try v.duration() }
        if let v = m["from"] { d.from = try v.date() }
        if let v = m["to"] { d.to = try v.date() }
        if let from = d.from, let to = d.to, from >= to { throw n.fail("`from` must come before `to`") }
        return d
    }

    private static func labelSettings(_ n: ConfigNode) throws -> LabelSettings {
        var l = LabelSettings()
        let m = try n.mapping(allowed: ["kind", "horizon", "long_threshold", "short_threshold", "take_profit", "stop_loss"])
        if let v = m["kind"] { l.kind = LabelKind(rawValue: try v.choice(["forward", "triple_barrier"]))! }
        if let v = m["horizon"] {
            let h = try v.int(1...10_000)
            l.forward.horizon = h
            l.tripleBarrier.horizon = h
        }
        let forwardOnly = ["long_threshold", "short_threshold"], barrierOnly = ["take_profit", "stop_loss"]
        for key in l.kind == .forward ? barrierOnly : forwardOnly {
            if let v = m[key] { throw v.fail("only for kind \(l.kind == .forward ? "triple_barrier" : "forward")") }
        }
        if let v = m["long_threshold"] { l.forward.longThreshold = try v.double(1e-6...10) }
        if let v = m["short_threshold"] { l.forward.shortThreshold = try v.double(-0.999...(-1e-6)) }
        if let v = m["take_profit"] { l.tripleBarrier.takeProfit = try v.double(1e-3...100) }
        if let v = m["stop_loss"] { l.tripleBarrier.stopLoss = try v.double(1e-3...100) }
        return l
    }

    private static func walkForwardSettings(_ n: ConfigNode) throws -> WalkForwardSettings {
        var w = WalkForwardSettings()
        let m = try n.mapping(allowed: ["scheme", "train", "test", "step", "windows", "purge", "holdout", "validation_fraction"])
        if let v = m["scheme"] { w.scheme = WindowScheme(rawValue: try v.choice(WindowScheme.allCases.map(\.rawValue)))! }
        if let v = m["train"] { w.train = try v.duration() }
        if let v = m["test"] { w.test = try v.duration() }
        if let v = m["step"] { w.step = try v.duration() }
        if let v = m["windows"] { w.windows = try v.int(1...1_000) }
        if let v = m["purge"] { w.purge = try v.duration() }
        if let v = m["holdout"] { w.holdout = try v.duration() }
        if let v = m["validation_fraction"] { w.validationFraction = try v.double(0.01...0.5) }
        return w
    }

    private static func features(_ n: ConfigNode) throws -> [FeatureDefinition] {
        if n.node.scalar != nil {
            switch try n.choice(["base", "base+crash"]) {
            case "base": return FeatureCatalog.base
            default: return FeatureCatalog.all
            }
        }
        let names = try n.list()
        guard !names.isEmpty else { throw n.fail("the feature list is empty") }
        var out: [FeatureDefinition] = []
        for item in names {
            let name = try item.string()
            guard let f = FeatureCatalog.all.first(where: { $0.name == name }) else {
                throw item.fail("unknown feature '\(name)' (known: \(FeatureCatalog.all.map(\.name).joined(separator: ", ")))")
            }
            guard !out.contains(where: { $0.name == name }) else { throw item.fail("'\(name)' is listed twice") }
            out.append(f)
        }
        return out
    }

    private static func treeSettings(_ n: ConfigNode, into t: inout TreeSettings, resolve: (String) -> String) throws {
        let m = try n.mapping(allowed: [
            "enabled", "features", "targets", "refit", "import", "policy", "num_trees", "learning_rate", "num_leaves", "max_depth", "min_data_in_leaf",
            "min_child_weight", "lambda_l2", "alpha_l1", "min_split_gain", "bagging_fraction", "feature_fraction", "max_bins",
            "early_stopping_rounds", "threads",
        ])
        var p = t.parameters
        if let v = m["enabled"] { t.enabled = try v.bool() }
        if let v = m["features"] { t.features = try features(v) }
        if let v = m["refit"] { t.refit = try v.bool() }
        if let v = m["targets"] {
            var targets: [TreeTarget] = []
            for item in try v.list() {
                let t = TreeTarget(rawValue: try item.choice(TreeTarget.allCases.map(\.rawValue)))!
                guard !targets.contains(t) else { throw item.fail("'\(t.rawValue)' is listed twice") }
                targets.append(t)
            }
            guard !targets.isEmpty else { throw v.fail("name at least one target: long, short or direction") }
            guard !targets.contains(.direction) || targets == [.direction] else {
                throw v.fail("direction stands alone ([direction], the format-1.0 blend); the specialists are [long, short]")
            }
            t.targets = targets
        }
        let policy = try m["policy"]?.choice(["leaf_wise", "depth_wise", "both"]) ?? "leaf_wise"
        let leafWise = GrowthPolicy.leafWise(numLeaves: try m["num_leaves"]?.int(2...65_536) ?? 31,
                                             maxDepth: policy == "both" ? 0 : try m["max_depth"]?.int(0...30) ?? 0)
        let depthWise = GrowthPolicy.depthWise(maxDepth: try m["max_depth"]?.int(1...30) ?? 6)
        switch policy {
        case "depth_wise":
            if let v = m["num_leaves"] { throw v.fail("only for policy leaf_wise or both") }
            t.growths = [depthWise]
        case "both": t.growths = [leafWise, depthWise]
        default: t.growths = [leafWise]
        }
        p.growth = t.growths[0]
        if let v = m["num_trees"] { p.numTrees = try v.int(1...100_000) }
        if let v = m["learning_rate"] { p.learningRate = try v.double(1e-6...1) }
        if let v = m["min_data_in_leaf"] { p.minDataInLeaf = try v.int(1...1_000_000) }
        if let v = m["min_child_weight"] { p.minChildWeight = try v.double(0...1e6) }
        if let v = m["lambda_l2"] { p.lambdaL2 = try v.double(0...1e6) }
        if let v = m["alpha_l1"] { p.alphaL1 = try v.double(0...1e6) }
        if let v = m["min_split_gain"] { p.minSplitGain = try v.double(0...1e6) }
        if let v = m["bagging_fraction"] { p.baggingFraction = try v.double(0.01...1) }
        if let v = m["feature_fraction"] { p.featureFraction = try v.double(0.01...1) }
        if let v = m["max_bins"] { p.maxBins = try v.int(2...255) }
        if let v = m["early_stopping_rounds"] { p.earlyStopping = EarlyStopping(metric: .logLoss, patience: try v.int(1...100_000)) }
        if let v = m["threads"] { p.threads = try v.int(0...1024) }
        t.parameters = p
        if let v = m["import"] {
            let i = try v.mapping(allowed: TreeLibrary.allCases.map(\.rawValue))
            guard i.count == 1, let (name, file) = i.first else { throw v.fail("name one file: xgboost: FILE or lightgbm: FILE") }
            guard m["features"] != nil else { throw v.fail("an imported model needs `features`: its columns, in order") }
            guard t.isDirection else { throw v.fail("an imported tree model is a direction model: give `targets: [direction]`") }
            t.imported = (TreeLibrary(rawValue: name)!, resolve(try file.string()))
        }
    }

    private static func networkSettings(_ n: ConfigNode, into s: inout NetworkSettings, resolve: (String) -> String) throws {
        let m = try n.mapping(allowed: [
            "enabled", "features", "import", "sequence_length", "hidden_size", "num_layers", "heads", "fc_hidden", "dropout", "epochs",
            "batch_size", "learning_rate", "weight_decay", "patience", "snapshots", "threads", "augmentation",
        ])
        if let v = m["enabled"] { s.enabled = try v.bool() }
        if let v = m["features"] { s.features = try features(v) }
        if let v = m["sequence_length"] { s.sequenceLength = try v.int(1...4_096) }
        if let v = m["hidden_size"] { s.hidden = try v.int(1...4_096) }
        if let v = m["num_layers"] { s.layers = try v.int(1...8) }
        if let v = m["heads"] { s.heads = try v.int(1...64) }
        if let v = m["fc_hidden"] { s.fcHidden = try v.int(1...4_096) }
        if let v = m["dropout"] { s.dropout = try v.double(0...0.9) }
        if let v = m["epochs"] { s.training.epochs = try v.int(1...10_000) }
        if let v = m["batch_size"] { s.training.batchSize = try v.int(1...65_536) }
        if let v = m["learning_rate"] { s.training.optimizer.learningRate = try v.double(1e-8...1) }
        if let v = m["weight_decay"] { s.training.optimizer.weightDecay = try v.double(0...1) }
        if let v = m["patience"] { s.training.earlyStoppingPatience = try v.int(1...10_000) }
        if let v = m["snapshots"] { s.training.snapshots = try v.int(1...32) }
        if let v = m["threads"] { s.training.threads = try v.int(1...1024) }
        if let v = m["augmentation"], !(try v.bool()) { s.training.augmentation = .none }
        if let v = m["import"] {
            let i = try v.mapping(allowed: ["arch", "weights", "scaler"])
            guard let arch = i["arch"], let weights = i["weights"] else { throw v.fail("needs `arch` (YAML) and `weights` (safetensors)") }
            let archFile = resolve(try arch.string())
            guard let text = try? String(contentsOfFile: archFile, encoding: .utf8) else { throw arch.fail("cannot read \(archFile)") }
            var architecture = try PyTorchArchitecture(yaml: text, file: archFile)
            if let scaler = i["scaler"] {
                let scalerFile = resolve(try scaler.string())
                guard let text = try? String(contentsOfFile: scalerFile, encoding: .utf8) else { throw scaler.fail("cannot read \(scalerFile)") }
                try architecture.standardisation(yaml: text, file: scalerFile)
            }
            for key in ["features", "sequence_length"] where m[key] != nil {
                throw m[key]!.fail("an imported network's architecture file sets it")
            }
            s.features = architecture.features
            s.sequenceLength = architecture.sequenceLength
            s.imported = (architecture, resolve(try weights.string()))
            return
        }
        guard (2 * s.hidden) % s.heads == 0 else {
            throw (m["heads"] ?? n).fail("\(s.heads) heads do not divide the BiLSTM's \(2 * s.hidden) outputs")
        }
    }

    private static func blendSettings(_ n: ConfigNode, direction: Bool) throws -> BlendSettings {
        var b = BlendSettings()
        let directionKeys = BlendSettings.directionKeys
        let specialistKeys = ["fit", "objective", "min_trades", "confidence", "long_entry", "short_entry", "long_veto", "short_veto", "hold"]
        let m = try n.mapping(allowed: ["tree_weight", "network_weight", "max_position"] + directionKeys + specialistKeys)
        for key in direction ? specialistKeys : directionKeys {
            if let v = m[key] {
                throw v.fail(direction ? "only for the specialists blend (trees.targets [long, short])"
                                       : "only for the direction blend (trees.targets: [direction])")
            }
        }
        if let v = m["tree_weight"] { b.treeWeight = try v.double(0...1_000) }
        if let v = m["network_weight"] { b.networkWeight = try v.double(0...1_000) }
        if let v = m["max_position"] { b.maxPosition = try v.double(1e-6...1) }
        if let v = m["entry_threshold"] { b.entryThreshold = try v.double(0...1) }
        if let v = m["veto_threshold"] { b.vetoThreshold = try v.double(0...1) }
        if let v = m["kelly_fraction"] { b.kellyFraction = try v.double(0...1) }
        if let v = m["payoff_ratio"] { b.payoffRatio = try v.double(1e-3...1_000) }
        b.fit = direction ? false : try m["fit"]?.bool() ?? true
        if let v = m["objective"] { b.objective = PolicyObjective(rawValue: try v.choice(PolicyObjective.allCases.map(\.rawValue)))! }
        if let v = m["min_trades"] { b.minTrades = try v.int(0...1_000_000) }
        if let v = m["confidence"] { b.confidence = try v.double(0...0.999_999) }
        let fixed = ["tree_weight", "network_weight", "long_entry", "short_entry", "long_veto", "short_veto", "hold"]
        if b.fit, !direction, let key = fixed.first(where: { m[$0] != nil }) {
            throw m[key]!.fail("fitted by the build; set `fit: false` to fix it")
        }
        if !b.fit, let key = ["objective", "min_trades", "confidence"].first(where: { m[$0] != nil }) {
            throw m[key]!.fail("only with `fit: true`")
        }
        if let v = m["long_entry"] { b.longEntry = try v.double(0...2) }
        if let v = m["short_entry"] { b.shortEntry = try v.double(0...2) }
        if let v = m["long_veto"] { b.longVeto = try v.double(0...1) }
        if let v = m["short_veto"] { b.shortVeto = try v.double(0...1) }
        if let v = m["hold"] { b.hold = try v.int(1...10_000) }
        guard b.treeWeight + b.networkWeight > 0 else { throw n.fail("tree_weight and network_weight cannot both be 0") }
        return b
    }
}

extension [String: ConfigNode] {
    func missing(_ key: String, _ file: String) -> BuildConfigError { BuildConfigError("\(file): `\(key)` is required") }
}

extension BuildConfig {
    /// The `search:` block: every range is checked against the bounds of the key it searches.
    static func searchSettings(_ n: ConfigNode) throws -> SearchSettings {
        var s = SearchSettings()
        let m = try n.mapping(allowed: ["trials", "sampler", "halving", "trees", "networks"])
        if let v = m["trials"] { s.trials = try v.int(0...10_000) }
        if let v = m["sampler"] { s.sampler = SearchSettings.Sampler(rawValue: try v.choice(SearchSettings.Sampler.allCases.map(\.rawValue)))! }
        if let v = m["halving"] { s.halving = try v.bool() }
        for family in ["trees", "networks"] {
            guard let block = m[family] else { continue }
            let numeric = SearchSettings.numericKeys.filter { $0.key.hasPrefix(family + ".") }
            let choices = SearchSettings.choiceKeys.filter { $0.key.hasPrefix(family + ".") }
            let names = (numeric.map(\.key) + choices.map(\.key)).map { String($0.dropFirst(family.count + 1)) }
            let entries = try block.mapping(allowed: names)
            for name in names {
                guard let v = entries[name] else { continue }
                let key = "\(family).\(name)"
                if let c = choices.first(where: { $0.key == key }) {
                    let picked = try v.list().map { try $0.choice(c.values) }
                    guard !picked.isEmpty, Set(picked).count == picked.count else { throw v.fail("list distinct values from \(c.values.joined(separator: ", "))") }
                    s.dimensions.append(.init(key: key, range: .choice(picked)))
                } else if let k = numeric.first(where: { $0.key == key }) {
                    let bounds = try v.list()
                    guard bounds.count == 2 else { throw v.fail("give a range [low, high] within \(k.bounds.lowerBound)...\(k.bounds.upperBound)") }
                    let lo = try bounds[0].double(k.bounds), hi = try bounds[1].double(k.bounds)
                    guard lo < hi else { throw v.fail("the range's low end \(lo) must be below its high end \(hi)") }
                    if k.log && lo <= 0 { throw v.fail("a log-scale range needs a low end above 0") }
                    s.dimensions.append(.init(key: key, range: .numeric(lower: lo, upper: hi, logScale: k.log, integer: k.integer)))
                }
            }
        }
        guard s.dimensions.count <= SobolSequence.maxDimensions else {
            throw n.fail("at most \(SobolSequence.maxDimensions) searched parameters, got \(s.dimensions.count)")
        }
        if s.trials > 0 && s.dimensions.isEmpty { throw n.fail("name at least one range under `trees` or `networks` to search") }
        return s
    }
}
