extension ComponentDefinition {
    /// The component's probability for one window of raw feature values (`window × inputs`,
    /// oldest step first, features in `inputFeatures` order).
    ///
    /// Tree components read the values as float64 (their ensembles compare in the precision
    /// each states) and combine as `scoreTrees` does. Networks read the values as float32, scaled
    /// (unless the scaler was folded) as `(Float(x) − shift)·scale`, and are joined by mean
    /// probability: `Σᵢ wᵢ·pᵢ / Σᵢ wᵢ` in Double, members in order. Either way the component's
    /// calibrator, when it has one, maps the result last (Spec.md §4.9).
    public func probability(window raw: [Double]) throws(ModelcError) -> Double {
        let expected = window * inputCount
        guard raw.count == expected else {
            throw ModelcError(.invalidArgument,
                "component '\(name)' reads \(window) x \(inputCount) = \(expected) values, got \(raw.count)")
        }
        if isTreeComponent {
            return try raw.withUnsafeBufferPointer { (row) throws(ModelcError) -> Double in
                try scoreTrees(UnsafeBufferPointer(rebasing: row[(raw.count - inputCount)...])).probability
            }
        }
        var weighted = 0.0, total = 0.0
        for member in members {
            let p: Double
            switch member.kind {
            case .network(let net):
                p = Double(NetworkRunner.probability(net, logits: try NetworkRunner.logits(net, window: scaled(raw))))
            case .trees:
                throw ModelcError(.invalidModel, "component '\(name)' mixes networks and tree ensembles")
            }
            weighted += member.weight * p
            total += member.weight
        }
        guard total > 0 else { throw ModelcError(.invalidModel, "component '\(name)': member weights sum to 0") }
        return calibrator?.apply(weighted / total) ?? weighted / total
    }

    /// `(Float(x) − shift)·scale` per input, or `Float(x)` when there is no scaler or it was folded.
    func scaled(_ raw: [Double]) -> [Float] {
        var out = raw.map { Float($0) }
        guard let scaler, !scaler.folded else { return out }
        let n = inputCount
        for i in out.indices { out[i] = (out[i] - scaler.shift[i % n]) * scaler.scale[i % n] }
        return out
    }
}
