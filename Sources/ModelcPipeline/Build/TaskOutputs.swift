import ModelcTraining

/// What the build's tasks hand on through the cache, in `ByteWriter`'s layout. A payload holds
/// the trained values only; the network architectures and feature lists come from the config the
/// reader builds with, which the task key already pins.
extension TrainedComponents {
    func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.array(trees) { w, t in
            w.string(t.target.rawValue)
            w.array(t.forests) { $0.forest($1) }
            w.bool(t.stopped != nil)
            w.array(t.stopped ?? []) { $0.forest($1) }
        }
        for network in [long, short] {
            w.bool(network != nil)
            guard let network else { continue }
            w.array(network.ensemble.members) { w, m in w.array(m.parameterVector) { $0.float($1) } }
            w.int(Int(network.scaler.kind.rawValue))
            w.array(network.scaler.shift) { $0.float($1) }
            w.array(network.scaler.scale) { $0.float($1) }
            w.array(network.scaler.notes) { $0.string($1) }
        }
        w.array(reference) { w, r in
            w.string(r.target.rawValue)
            w.forest(r.forest)
        }
        w.array(validation) { w, r in
            w.int(r.series)
            w.int(r.row)
        }
        return w.bytes
    }

    /// Reads `bytes` back, with the networks of `config`.
    static func decoded(_ bytes: [UInt8], name: String, config: BuildConfig) throws -> TrainedComponents {
        var r = ByteReader(bytes, name: name)
        var out = TrainedComponents()
        out.trees = try r.array { r in
            let target = try r.target()
            let forests = try r.array { try $0.forest() }
            let refit = try r.bool()
            let stopped = try r.array { try $0.forest() }
            return TrainedTrees(target: target, forests: forests, stopped: refit ? stopped : nil)
        }
        for (settings, slot) in [(config.long, \TrainedComponents.long), (config.short, \TrainedComponents.short)] {
            guard try r.bool() else { continue }
            let members = try r.array { r in
                let model = try SequenceModel(spec: settings.spec)
                try model.setParameterVector(try r.array { try $0.float() })
                return model
            }
            guard let kind = ScalerKind(rawValue: Int32(truncatingIfNeeded: try r.int())) else { throw r.fail("an unknown scaler kind") }
            let scaler = FeatureScaler(kind: kind, shift: try r.array { try $0.float() }, scale: try r.array { try $0.float() },
                                       notes: try r.array { try $0.string() })
            out[keyPath: slot] = TrainedNetwork(ensemble: try SnapshotEnsemble(members), scaler: scaler, features: settings.features)
        }
        out.reference = try r.array { r in (try r.target(), try r.forest()) }
        out.validation = try r.array { r in RowRef(series: try r.int(), row: try r.int()) }
        try r.finish()
        return out
    }
}

/// A search trial's scores on one window: per target, the test rows' labels and probabilities.
enum TrialScores {
    static func encoded(_ scored: [ParameterSearch.Scored]) -> [UInt8] {
        var w = ByteWriter()
        w.array(scored) { w, s in
            w.string(s.target)
            w.array(s.labels) { $0.bool($1) }
            w.array(s.scores) { $0.double($1) }
        }
        return w.bytes
    }

    static func decoded(_ bytes: [UInt8], name: String) throws -> [ParameterSearch.Scored] {
        var r = ByteReader(bytes, name: name)
        let out = try r.array { r in (target: try r.string(), labels: try r.array { try $0.bool() }, scores: try r.array { try $0.double() }) }
        try r.finish()
        return out
    }
}

private extension ByteWriter {
    mutating func forest(_ f: TrainedForest) {
        int(f.numFeatures)
        double(f.baseScore)
        array(f.importance.gain) { $0.double($1) }
        array(f.importance.splits) { $0.int($1) }
        array(f.trees) { w, t in
            w.array(t.splitFeature) { $0.int(Int($1)) }
            w.array(t.threshold) { $0.double($1) }
            w.array(t.leftChild) { $0.int(Int($1)) }
            w.array(t.rightChild) { $0.int(Int($1)) }
            w.array(t.defaultLeft) { $0.bool($1) }
            w.array(t.leafValue) { $0.double($1) }
        }
    }
}

private extension ByteReader {
    mutating func target() throws -> TreeTarget {
        let name = try string()
        guard let t = TreeTarget(rawValue: name) else { throw fail("'\(name)' is not a tree target") }
        return t
    }

    mutating func forest() throws -> TrainedForest {
        let features = try int(), base = try double()
        let importance = FeatureImportance(gain: try array { try $0.double() }, splits: try array { try $0.int() })
        let trees = try array { r in
            TrainedTree(splitFeature: try r.array { UInt32(truncatingIfNeeded: try $0.int()) }, threshold: try r.array { try $0.double() },
                        leftChild: try r.array { Int32(truncatingIfNeeded: try $0.int()) },
                        rightChild: try r.array { Int32(truncatingIfNeeded: try $0.int()) },
                        defaultLeft: try r.array { try $0.bool() }, leafValue: try r.array { try $0.double() })
        }
        return TrainedForest(numFeatures: features, trees: trees, baseScore: base, importance: importance)
    }
}
