/// The rows of the tree being grown, as one index array in which every node owns a contiguous
/// range. Splitting a node partitions its range stably (row order is kept on both sides), so
/// the result is unique: the parallel block-wise partition gives the same array as a
/// sequential one, and histograms add rows in ascending row order.
final class RowPartition {
    private(set) var count = 0
    let indices: UnsafeMutablePointer<UInt32>
    private let leftScratch: UnsafeMutablePointer<UInt32>
    private let rightScratch: UnsafeMutablePointer<UInt32>
    private let capacity: Int
    /// Rows per block of the parallel partition (fixed, so blocks never depend on threads).
    static let blockSize = 2_048

    init(capacity: Int) {
        self.capacity = capacity
        indices = .allocate(capacity: capacity)
        leftScratch = .allocate(capacity: capacity)
        rightScratch = .allocate(capacity: capacity)
    }

    deinit {
        indices.deallocate()
        leftScratch.deallocate()
        rightScratch.deallocate()
    }

    /// Starts a tree on the given rows (ascending).
    func reset(rows: [UInt32]) {
        precondition(rows.count <= capacity)
        rows.withUnsafeBufferPointer { indices.update(from: $0.baseAddress!, count: rows.count) }
        count = rows.count
    }

    /// Starts a tree on every row 0..<n.
    func resetAll(_ n: Int) {
        for i in 0..<n { indices[i] = UInt32(truncatingIfNeeded: i) }
        count = n
    }

    /// Stable partition of `range` by "bin <= splitBin, NaN bin by defaultLeft" on one
    /// feature's column; returns the number of rows that went left.
    func split(
        _ range: Range<Int>, column: UnsafePointer<UInt8>, splitBin: Int, nanBin: Int, defaultLeft: Bool, pool: WorkerPool
    ) -> Int {
        let n = range.count
        let blocks = (n + Self.blockSize - 1) / Self.blockSize
        if blocks <= 1 || pool.threads == 1 {
            return splitSequential(range, column: column, splitBin: splitBin, nanBin: nanBin, defaultLeft: defaultLeft)
        }
        // Phase 1: each block splits into the scratch buffers at its own offset.
        let leftCounts = UnsafeMutablePointer<Int>.allocate(capacity: blocks)
        defer { leftCounts.deallocate() }
        let (indices, leftScratch, rightScratch) = (indices, leftScratch, rightScratch)
        pool.forEachBlock(n, blockSize: Self.blockSize) { block in
            var l = 0
            var r = 0
            let start = range.lowerBound + block.lowerBound
            let (lo, ro) = (leftScratch + start, rightScratch + start)
            for i in start..<(range.lowerBound + block.upperBound) {
                let row = indices[i]
                let b = Int(column[Int(row)])
                let goLeft = b == nanBin ? defaultLeft : b <= splitBin
                lo[l] = row
                ro[r] = row
                l &+= goLeft ? 1 : 0
                r &+= goLeft ? 0 : 1
            }
            leftCounts[block.lowerBound / Self.blockSize] = l
        }
        // Phase 2: gather the blocks' left parts, then their right parts, in block order.
        var totalLeft = 0
        for k in 0..<blocks { totalLeft += leftCounts[k] }
        pool.forEachBlock(blocks, blockSize: 1) { blockRange in
            let k = blockRange.lowerBound
            var leftBefore = 0
            for j in 0..<k { leftBefore += leftCounts[j] }
            let start = range.lowerBound + k * Self.blockSize
            let size = min(Self.blockSize, n - k * Self.blockSize)
            let l = leftCounts[k]
            let rightBefore = k * Self.blockSize - leftBefore
            (indices + range.lowerBound + leftBefore).update(from: leftScratch + start, count: l)
            (indices + range.lowerBound + totalLeft + rightBefore).update(from: rightScratch + start, count: size - l)
        }
        return totalLeft
    }

    private func splitSequential(
        _ range: Range<Int>, column: UnsafePointer<UInt8>, splitBin: Int, nanBin: Int, defaultLeft: Bool
    ) -> Int {
        var l = range.lowerBound
        var r = 0
        for i in range {
            let row = indices[i]
            let b = Int(column[Int(row)])
            let goLeft = b == nanBin ? defaultLeft : b <= splitBin
            indices[l] = row  // l <= i: never overwrites a row not yet read
            rightScratch[r] = row
            l &+= goLeft ? 1 : 0
            r &+= goLeft ? 0 : 1
        }
        (indices + l).update(from: rightScratch, count: r)
        return l - range.lowerBound
    }
}
