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

    /// The probabilities of `count` windows lying one after another in `raw` (each as
    /// `probability(window:)`), scored in blocks of `windowBlock` windows together.
    public func probabilities(windows raw: [Double], count: Int) throws(ModelcError) -> [Double] {
        let arena = ScratchArena()
        defer { arena.reset() }
        var out = [Double](repeating: .nan, count: count)
        let size = window * inputCount
        guard raw.count == count * size else {
            throw ModelcError(.invalidArgument, "component '\(name)' reads \(window) x \(inputCount) = \(size) values a window, got \(raw.count) for \(count) windows")
        }
        guard count > 0 else { return [] }
        try raw.withUnsafeBufferPointer { (raw) throws(ModelcError) in
            try out.withUnsafeMutableBufferPointer { (out) throws(ModelcError) in
                try probabilities(inBlocks: raw.baseAddress!, count: count, arena: arena, into: out.baseAddress!)
            }
        }
        return out
    }

    /// `count` windows of `window × inputCount` values from `raw`, scored `windowBlock` at a time
    /// (each block's scratch given back before the next), into `out`.
    func probabilities(inBlocks raw: UnsafePointer<Double>, count: Int, arena: ScratchArena,
                       into out: UnsafeMutablePointer<Double>) throws(ModelcError) {
        let size = window * inputCount
        var n = 0
        while n < count {
            let block = min(Self.windowBlock, count - n)
            try probabilities(windows: UnsafeBufferPointer(start: raw + n * size, count: block * size), count: block,
                              arena: arena, into: out + n)
            n += block
        }
    }

    /// The same, with its working memory taken from `arena` (given back when it returns).
    func probability(window raw: UnsafeBufferPointer<Double>, arena: ScratchArena) throws(ModelcError) -> Double {
        var p = 0.0
        try probabilities(windows: raw, count: 1, arena: arena, into: &p)
        return p
    }

    /// Windows a network component scores in one pass (`mc_score_inputs` cuts longer runs into
    /// blocks of this many): enough for the kernels' row blocks, small enough that a block's
    /// layer outputs stay a few MB.
    public static let windowBlock = 32

    /// The probabilities of `count` windows lying one after another in `raw`, into `out`: each
    /// exactly as `probability(window:)` gives it alone. A network scores the windows together
    /// (NetworkRunner: its weights are read once per block of windows, not once per window).
    func probabilities(windows raw: UnsafeBufferPointer<Double>, count: Int, arena: ScratchArena,
                       into out: UnsafeMutablePointer<Double>) throws(ModelcError) {
        let size = window * inputCount
        guard raw.count == count * size else {
            throw ModelcError(.invalidArgument,
                "component '\(name)' reads \(window) x \(inputCount) = \(size) values, got \(count == 1 ? "\(raw.count)" : "\(raw.count) for \(count) windows")")
        }
        if isTreeComponent {
            for j in 0..<count {
                let last = UnsafeBufferPointer(rebasing: raw[((j + 1) * size - inputCount)..<((j + 1) * size)])
                out[j] = try scoreTrees(last, arena: arena).probability
            }
            return
        }
        let mark = arena.mark
        defer { arena.release(to: mark) }
        let scaled = self.scaled(raw, into: arena.take(Float.self, raw.count))
        let weighted = arena.take(Double.self, count)
        weighted.initialize(repeating: 0, count: count)
        var total = 0.0
        for member in members {
            switch member.kind {
            case .network(let net):
                let inner = arena.mark
                let logits = NetworkRunner.logits(net, window: scaled, windows: count, arena: arena)
                let per = logits.count / count
                for j in 0..<count {
                    let own = UnsafeMutableBufferPointer(rebasing: logits[(j * per)..<((j + 1) * per)])
                    weighted[j] += member.weight * Double(NetworkRunner.probability(net, logits: own))
                }
                arena.release(to: inner)
            case .trees:
                throw ModelcError(.invalidModel, "component '\(name)' mixes networks and tree ensembles")
            }
            total += member.weight
        }
        guard total > 0 else { throw ModelcError(.invalidModel, "component '\(name)': member weights sum to 0") }
        for j in 0..<count { out[j] = calibrator?.apply(weighted[j] / total) ?? weighted[j] / total }
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
