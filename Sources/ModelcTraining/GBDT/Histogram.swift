/// Per-node histograms: for every feature slot (value bins, then NaN) the gradient sum, the
/// hessian sum and the row count, as three consecutive Doubles. A slot's sums add rows in the
/// node's row order, whoever computes them: the same bits for any thread count.
enum Histogram {
    /// Adds `count` rows (indices at `rows`) to `hist` for the given features only, first
    /// zeroing those features' slots. Row-wise: each row's gradient pair is read once and its
    /// bins (one cache line) are spread over the features' slots.
    static func build(
        into hist: UnsafeMutablePointer<Double>, rows: UnsafePointer<UInt32>, count: Int,
        gradients: UnsafePointer<Float>, binned: UnsafePointer<UInt8>, columns: Int,
        features: UnsafeBufferPointer<Int>, offsets: UnsafePointer<Int>
    ) {
        for f in features {
            (hist + offsets[f] * 3).update(repeating: 0, count: (offsets[f + 1] - offsets[f]) * 3)
        }
        guard !features.isEmpty else { return }
        // Slot base of each feature, in the order the features are visited.
        let base = UnsafeMutablePointer<Int>.allocate(capacity: features.count)
        defer { base.deallocate() }
        for (j, f) in features.enumerated() { base[j] = offsets[f] }
        let k = features.count
        let feature = features.baseAddress!
        for i in 0..<count {
            let r = Int(rows[i])
            let g = Double(gradients[2 * r])
            let h = Double(gradients[2 * r + 1])
            let rowBins = binned + r * columns
            for j in 0..<k {
                let s = (base[j] + Int(rowBins[feature[j]])) * 3
                hist[s] += g
                hist[s + 1] += h
                hist[s + 2] += 1
            }
        }
    }

    /// `parent -= child` over the given features' slots: the parent's buffer becomes the
    /// other child's histogram (the subtraction trick).
    static func subtract(
        _ child: UnsafePointer<Double>, from parent: UnsafeMutablePointer<Double>,
        features: UnsafeBufferPointer<Int>, offsets: UnsafePointer<Int>
    ) {
        for f in features {
            for s in (offsets[f] * 3)..<(offsets[f + 1] * 3) { parent[s] -= child[s] }
        }
    }
}

/// Histogram buffers reused across nodes and trees (a tree needs at most one per open leaf).
final class HistogramPool {
    let doubles: Int
    private var free: [UnsafeMutablePointer<Double>] = []
    private var owned: [UnsafeMutablePointer<Double>] = []

    init(slots: Int) { doubles = slots * 3 }

    func take() -> UnsafeMutablePointer<Double> {
        if let buffer = free.popLast() { return buffer }
        let buffer = UnsafeMutablePointer<Double>.allocate(capacity: doubles)
        owned.append(buffer)
        return buffer
    }

    func give(_ buffer: UnsafeMutablePointer<Double>) { free.append(buffer) }

    deinit { for buffer in owned { buffer.deallocate() } }
}
