/// Per-node histograms: for every feature slot (value bins, then NaN) the gradient and hessian
/// sums as one SIMD2 and the row count in the x lane of a second SIMD2. A slot's sums add
/// rows in the node's row order, whoever computes them: the same bits for any thread count.
enum Histogram {
    /// SIMD2 entries per slot (the code indexes slot s at 2 s and 2 s + 1).
    static let stride = 2

    /// Fills the slots of several features (`columns[k]` into `slots[k]`, each zeroed first
    /// over `slotCounts[k]` slots) from the node's rows and their gradient pairs (float32,
    /// widened to Double as they are added). Column-wise: a feature's bins of consecutive rows
    /// are one contiguous column, which a node's rows (ascending) walk through in order. Up to
    /// four features share one pass over the rows, so the row index and gradient pair are
    /// loaded once for all of them and their four independent slot updates overlap.
    static func build(
        columns: [UnsafePointer<UInt8>], slots: [UnsafeMutablePointer<SIMD2<Double>>], slotCounts: [Int],
        rows: UnsafePointer<UInt32>, gradients: UnsafePointer<SIMD2<Float>>, count: Int
    ) {
        for (s, n) in zip(slots, slotCounts) { s.update(repeating: .zero, count: n &* stride) }
        var k = 0
        while k < columns.count {
            switch columns.count - k {
            case 4...:
                build4(columns[k], columns[k + 1], columns[k + 2], columns[k + 3],
                       slots[k], slots[k + 1], slots[k + 2], slots[k + 3], rows: rows, gradients: gradients, count: count)
                k += 4
            case 2, 3:
                build2(columns[k], columns[k + 1], slots[k], slots[k + 1], rows: rows, gradients: gradients, count: count)
                k += 2
            default:
                build1(columns[k], slots[k], rows: rows, gradients: gradients, count: count)
                k += 1
            }
        }
    }

    private static func build4(
        _ c0: UnsafePointer<UInt8>, _ c1: UnsafePointer<UInt8>, _ c2: UnsafePointer<UInt8>, _ c3: UnsafePointer<UInt8>,
        _ h0: UnsafeMutablePointer<SIMD2<Double>>, _ h1: UnsafeMutablePointer<SIMD2<Double>>,
        _ h2: UnsafeMutablePointer<SIMD2<Double>>, _ h3: UnsafeMutablePointer<SIMD2<Double>>,
        rows: UnsafePointer<UInt32>, gradients: UnsafePointer<SIMD2<Float>>, count: Int
    ) {
        let one = SIMD2<Double>(1, 0)  // a local: a static would be re-checked for lazy init
        for i in 0..<count {
            let r = Int(rows[i])
            let gh = SIMD2<Double>(gradients[r])
            let s0 = Int(c0[r]) &* 2
            let s1 = Int(c1[r]) &* 2
            let s2 = Int(c2[r]) &* 2
            let s3 = Int(c3[r]) &* 2
            h0[s0] += gh
            h0[s0 &+ 1] += one
            h1[s1] += gh
            h1[s1 &+ 1] += one
            h2[s2] += gh
            h2[s2 &+ 1] += one
            h3[s3] += gh
            h3[s3 &+ 1] += one
        }
    }

    private static func build2(
        _ c0: UnsafePointer<UInt8>, _ c1: UnsafePointer<UInt8>,
        _ h0: UnsafeMutablePointer<SIMD2<Double>>, _ h1: UnsafeMutablePointer<SIMD2<Double>>,
        rows: UnsafePointer<UInt32>, gradients: UnsafePointer<SIMD2<Float>>, count: Int
    ) {
        let one = SIMD2<Double>(1, 0)
        for i in 0..<count {
            let r = Int(rows[i])
            let gh = SIMD2<Double>(gradients[r])
            let s0 = Int(c0[r]) &* 2
            let s1 = Int(c1[r]) &* 2
            h0[s0] += gh
            h0[s0 &+ 1] += one
            h1[s1] += gh
            h1[s1 &+ 1] += one
        }
    }

    private static func build1(
        _ c0: UnsafePointer<UInt8>, _ h0: UnsafeMutablePointer<SIMD2<Double>>,
        rows: UnsafePointer<UInt32>, gradients: UnsafePointer<SIMD2<Float>>, count: Int
    ) {
        let one = SIMD2<Double>(1, 0)
        for i in 0..<count {
            let r = Int(rows[i])
            let s0 = Int(c0[r]) &* 2
            h0[s0] += SIMD2<Double>(gradients[r])
            h0[s0 &+ 1] += one
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
