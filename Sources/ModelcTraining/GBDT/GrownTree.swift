/// A tree as the grower made it, in bin space: node 0 is the root, children are appended when
/// their parent splits (so they always have larger indices), a leaf has `left == -1`.
struct GrownTree: Sendable {
    var feature: [Int32] = []
    /// Value bins <= this go left; -1 sends every value right (only NaN may go left).
    var bin: [Int32] = []
    var defaultLeft: [Bool] = []
    var left: [Int32] = []
    var right: [Int32] = []
    /// Leaf values with the learning rate applied; 0 at splits.
    var value: [Double] = []
    /// Split gains (for feature importance); 0 at leaves.
    var gain: [Double] = []
    /// Each leaf's rows as a range of the partition's index array when growth ended.
    var leafRows: [(node: Int, rows: Range<Int>)] = []

    /// Appends a leaf and returns its index.
    mutating func addNode() -> Int {
        feature.append(0)
        bin.append(0)
        defaultLeft.append(false)
        left.append(-1)
        right.append(-1)
        value.append(0)
        gain.append(0)
        return feature.count - 1
    }

    /// The leaf value for row `row` of column-major bins (`columns[f * stride + row]`).
    @inline(__always)
    func value(columns: UnsafePointer<UInt8>, stride: Int, row: Int, nanBins: UnsafePointer<Int>) -> Double {
        var n = 0
        while left[n] >= 0 {
            let f = Int(feature[n])
            let b = Int(columns[f &* stride &+ row])
            let goLeft = b == nanBins[f] ? defaultLeft[n] : b <= Int(bin[n])
            n = Int(goLeft ? left[n] : right[n])
        }
        return value[n]
    }
}
