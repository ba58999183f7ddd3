extension ComponentDefinition {
    /// The component's probability for one window of raw feature values (`window × inputs`,
    /// oldest step first, features in `inputFeatures` order).
    ///
    /// The scaler is applied unless it was folded; members are joined per `combine`:
    /// mean probability is `Σᵢ wᵢ·pᵢ / Σᵢ wᵢ` in Double, members in order, rounded once to Float.
    public func probability(window raw: [Float]) throws(ModelcError) -> Float {
        let expected = window * inputFeatures.count
        guard raw.count == expected else {
            throw ModelcError(.invalidArgument,
                "component '\(name)' reads \(window) x \(inputFeatures.count) = \(expected) values, got \(raw.count)")
        }
        let scaled = scale(raw)
        var weighted = 0.0, total = 0.0
        for member in members {
            let p: Float
            switch member.kind {
            case .network(let net):
                p = NetworkRunner.probability(net, logits: try NetworkRunner.logits(net, window: scaled))
            case .trees:
                throw ModelcError(.invalidArgument, "component '\(name)': tree members are scored by the tree kernel")
            }
            weighted += member.weight * Double(p)
            total += member.weight
        }
        guard total > 0 else { throw ModelcError(.invalidModel, "component '\(name)': member weights sum to 0") }
        return Float(weighted / total)
    }

    /// `(x − shift)·scale` per input, or the input itself when there is no scaler or it was folded.
    func scale(_ raw: [Float]) -> [Float] {
        guard let scaler, !scaler.folded else { return raw }
        let n = inputFeatures.count
        var out = raw
        for i in out.indices { out[i] = (out[i] - scaler.shift[i % n]) * scaler.scale[i % n] }
        return out
    }
}
