/// Per-node histograms: for every feature slot (value bins, then NaN) the gradient and hessian
/// sums as one SIMD2 and the row count in the x lane of a second SIMD2. A slot's sums add
/// rows in the node's row order, whoever computes them: the same bits for any thread count.
enum Histogram {
    /// SIMD2 entries per slot.
    static let stride = 2

    /// Gathers the node's gradient pairs in row order, widened to Double, so that each
    /// feature's pass reads them sequentially.
    static func gather(
        rows: UnsafePointer<UInt32>, count: Int, gradients: UnsafePointer<Float>, into ordered: UnsafeMutablePointer<SIMD2<Double>>
    ) {
        for i in 0..<count {
            let r = Int(rows[i]) &* 2
            ordered[i] = SIMD2(Double(gradients[r]), Double(gradients[r &+ 1]))
        }
    }

    /// Fills the slots of one feature from the node's rows and their ordered gradient pairs.
    /// Column-wise: the feature's bins of consecutive rows are one contiguous column, which a
    /// node's rows (ascending) walk through in order.
    @inline(__always)
    static func build(
        into slots: UnsafeMutablePointer<SIMD2<Double>>, slotCount: Int, column: UnsafePointer<UInt8>,
        rows: UnsafePointer<UInt32>, ordered: UnsafePointer<SIMD2<Double>>, count: Int
    ) {
        slots.update(repeating: .zero, count: slotCount &* stride)
        let one = SIMD2<Double>(1, 0)
        for i in 0..<count {
            let s = Int(column[Int(rows[i])]) &* stride
            slots[s] += ordered[i]
            slots[s &+ 1] += one
        }
    }

    /// `parent -= child` over one feature's slots: the parent's buffer becomes the other
    /// child's histogram (the subtraction trick).
    @inline(__always)
    static func subtract(_ child: UnsafePointer<SIMD2<Double>>, from parent: UnsafeMutablePointer<SIMD2<Double>>, slotCount: Int) {
        for s in 0..<(slotCount &* stride) { parent[s] -= child[s] }
    }
}

/// Histogram buffers reused across nodes and trees (a tree needs at most one per open leaf).
final class HistogramPool {
    let entries: Int
    private var free: [UnsafeMutablePointer<SIMD2<Double>>] = []
    private var owned: [UnsafeMutablePointer<SIMD2<Double>>] = []

    init(slots: Int) { entries = slots * Histogram.stride }

    func take() -> UnsafeMutablePointer<SIMD2<Double>> {
        if let buffer = free.popLast() { return buffer }
        let buffer = UnsafeMutablePointer<SIMD2<Double>>.allocate(capacity: entries)
        owned.append(buffer)
        return buffer
    }

    func give(_ buffer: UnsafeMutablePointer<SIMD2<Double>>) { free.append(buffer) }

    deinit { for buffer in owned { buffer.deallocate() } }
}
