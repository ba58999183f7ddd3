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
        let arena = ScratchArena()
        defer { arena.reset() }
        return try raw.withUnsafeBufferPointer { (raw) throws(ModelcError) -> Double in try probability(window: raw, arena: arena) }
    }

    /// The same, with its working memory taken from `arena` (given back when it returns).
    func probability(window raw: UnsafeBufferPointer<Double>, arena: ScratchArena) throws(ModelcError) -> Double {
        let expected = window * inputCount
        guard raw.count == expected else {
            throw ModelcError(.invalidArgument,
                "component '\(name)' reads \(window) x \(inputCount) = \(expected) values, got \(raw.count)")
        }
        if isTreeComponent {
            return try scoreTrees(UnsafeBufferPointer(rebasing: raw[(raw.count - inputCount)...]), arena: arena).probability
        }
        let mark = arena.mark
        defer { arena.release(to: mark) }
        let scaled = self.scaled(raw, into: arena.take(Float.self, raw.count))
        var weighted = 0.0, total = 0.0
        for member in members {
            let p: Double
            switch member.kind {
            case .network(let net):
                let inner = arena.mark
                p = Double(NetworkRunner.probability(net, logits: NetworkRunner.logits(net, window: scaled, arena: arena)))
                arena.release(to: inner)
            case .trees:
                throw ModelcError(.invalidModel, "component '\(name)' mixes networks and tree ensembles")
            }
            weighted += member.weight * p
            total += member.weight
        }
        guard total > 0 else { throw ModelcError(.invalidModel, "component '\(name)': member weights sum to 0") }
        return calibrator?.apply(weighted / total) ?? weighted / total
    }

    /// Writes `(Float(x) − shift)·scale` per input, or `Float(x)` when there is no scaler or it
    /// was folded, into `out` (as many values as `raw`); returns `out`.
    func scaled(_ raw: UnsafeBufferPointer<Double>, into out: UnsafeMutablePointer<Float>) -> UnsafePointer<Float> {
        for i in raw.indices { out[i] = Float(raw[i]) }
        if let scaler, !scaler.folded {
            let n = inputCount
            for i in raw.indices { out[i] = (out[i] - scaler.shift[i % n]) * scaler.scale[i % n] }
        }
        return UnsafePointer(out)
    }
}
