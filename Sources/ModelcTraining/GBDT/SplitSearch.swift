/// Gradient sum, hessian sum and row count of some rows (the row count kept as a Double so a
/// histogram slot is three Doubles; counts are exact far beyond any row count).
struct NodeSums: Sendable, Equatable {
    var g = 0.0
    var h = 0.0
    var n = 0.0

    static func - (a: NodeSums, b: NodeSums) -> NodeSums { NodeSums(g: a.g - b.g, h: a.h - b.h, n: a.n - b.n) }
    static func + (a: NodeSums, b: NodeSums) -> NodeSums { NodeSums(g: a.g + b.g, h: a.h + b.h, n: a.n + b.n) }
}

/// The best split of a node found so far.
struct SplitCandidate: Sendable, Equatable {
    /// S(left) + S(right) - S(parent); see `SplitRules.score`.
    var gain: Double
    var feature: Int
    /// Value bins 0...bin go left; -1 means no value bin goes left (only NaN does).
    var bin: Int
    /// Where NaN goes.
    var defaultLeft: Bool
    var left: NodeSums
    var right: NodeSums
}

/// The regularised second-order objective: what a leaf is worth and what it predicts.
struct SplitRules: Sendable {
    let lambda: Double
    let alpha: Double
    let minChildWeight: Double
    let minData: Double
    let minSplitGain: Double

    init(_ p: GBDTParameters) {
        lambda = p.lambdaL2
        alpha = p.alphaL1
        minChildWeight = p.minChildWeight
        minData = Double(p.minDataInLeaf)
        minSplitGain = p.minSplitGain
    }

    /// The gradient sum soft-thresholded by the L1 penalty: sign(G) * max(|G| - alpha, 0).
    @inline(__always)
    func shrunk(_ g: Double) -> Double {
        if alpha == 0 { return g }
        if g > alpha { return g - alpha }
        if g < -alpha { return g + alpha }
        return 0
    }

    /// Twice the loss reduction a leaf with these sums achieves at its optimal value:
    /// T(G)^2 / (H + lambda).
    @inline(__always)
    func score(_ s: NodeSums) -> Double {
        let t = shrunk(s.g)
        return t * t / (s.h + lambda)
    }

    /// The optimal leaf value -T(G) / (H + lambda), before the learning rate.
    func leafValue(_ s: NodeSums) -> Double {
        -shrunk(s.g) / (s.h + lambda)
    }

    /// Whether a node with these sums may be split at all (each child needs minData rows).
    func mayBeSplit(_ s: NodeSums) -> Bool { s.n >= 2 * minData && s.h >= 2 * minChildWeight }

    /// The best split of one feature from its histogram slots (`slots` points at the feature's
    /// first slot, laid out as `Histogram` says, the NaN slot last). Candidates are visited in a fixed
    /// order — NaN alone to the left first, then for each value bin b ascending: values <= b
    /// left with NaN right, then with NaN left — and only a strictly larger gain replaces the
    /// best, so ties keep the earliest. A node without NaN rows tries NaN right only and sends
    /// NaN (unseen in training) to the child with the larger hessian sum.
    func bestSplit(
        feature: Int, slots: UnsafePointer<SIMD2<Double>>, valueBins: Int, total: NodeSums, parentScore: Double
    ) -> SplitCandidate? {
        let nanGH = slots[valueBins &* 2]
        let nanN = slots[valueBins &* 2 &+ 1].x
        let hasNaN = nanN > 0
        let totalGH = SIMD2(total.g, total.h)
        let lambdas = SIMD2(repeating: lambda)
        var best: SplitCandidate?
        var bestGain = minSplitGain
        // Left and right scores in one SIMD2: lane 0 is the left child, lane 1 the right.
        @inline(__always) func consider(_ leftGH: SIMD2<Double>, _ leftN: Double, _ bin: Int, _ nanLeft: Bool) {
            let rightGH = totalGH - leftGH
            let rightN = total.n - leftN
            guard leftN >= minData, rightN >= minData, leftGH.y >= minChildWeight, rightGH.y >= minChildWeight else { return }
            let g = SIMD2(leftGH.x, rightGH.x)
            let t = alpha == 0 ? g : SIMD2(shrunk(g.x), shrunk(g.y))
            let s = t * t / (SIMD2(leftGH.y, rightGH.y) + lambdas)
            let gain = s.x + s.y - parentScore
            if gain > bestGain {
                bestGain = gain
                let left = NodeSums(g: leftGH.x, h: leftGH.y, n: leftN)
                let right = NodeSums(g: rightGH.x, h: rightGH.y, n: rightN)
                let defaultLeft = hasNaN ? nanLeft : left.h >= right.h
                best = SplitCandidate(gain: gain, feature: feature, bin: bin, defaultLeft: defaultLeft, left: left, right: right)
            }
        }
        if hasNaN { consider(nanGH, nanN, -1, true) }
        var accGH = SIMD2<Double>.zero
        var accN = 0.0
        for b in 0..<(valueBins - 1) {
            let n = slots[b &* 2 &+ 1].x
            accGH += slots[b &* 2]
            accN += n
            if n == 0 { continue }  // same rows on each side as the previous candidate
            consider(accGH, accN, b, false)
            if hasNaN { consider(accGH + nanGH, accN + nanN, b, true) }
        }
        return best
    }
}
