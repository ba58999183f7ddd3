/// A tree ensemble flattened for scoring, built once when a model is loaded.
///
/// All trees share one node array. Each tree is laid out breadth-first from its root, so the two
/// children of a split sit next to each other (`right = left + 1`) and the upper levels, which
/// every row visits, share cache lines. A node is 16 bytes: four to a 64-byte line.
///
/// Semantics (Spec.md, "Tree ensembles"): a split sends NaN per its missing rule, a near-zero
/// input per the zero rule, everything else left when `x < t` (or `x <= t`) in the ensemble's
/// precision; the margin is `base_score` plus each tree's leaf, added in tree order, in that
/// precision.
public struct TreeForest: Sendable {
    struct Node {
        /// Threshold at a split, leaf value at a leaf; already rounded to the precision.
        var value: Double
        /// Split: position of the left child (the right child follows it).
        /// Leaf: `~i` where `i` is the node's index in the artifact's tree.
        var child: Int32
        /// Split: feature index in the low 29 bits; bit 31: NaN goes right; bit 30: the split
        /// has the zero band (MISSING_ZERO_DEFAULT); bit 29: the default side is right.
        var bits: UInt32
    }

    static let nanRightBit: UInt32 = 1 << 31
    static let zeroMissingBit: UInt32 = 1 << 30
    static let zeroRightBit: UInt32 = 1 << 29
    static let featureMask: UInt32 = (1 << 29) - 1

    public let numFeatures: Int
    public let link: TreeLink
    public let comparison: SplitComparison
    public let precision: ThresholdPrecision
    public let source: TreeSource
    /// The base score rounded to the precision.
    public let baseScore: Double
    let nodes: [Node]
    let roots: [Int32]
    /// Whether any split has MISSING_ZERO_DEFAULT (the kernel skips the band test otherwise).
    let hasZeroBand: Bool

    public var treeCount: Int { roots.count }

    /// Validates `ensemble` and flattens it; `context` names the component and member in errors.
    public init(_ ensemble: TreeEnsembleDefinition, context: String) throws(ModelcError) {
        try ensemble.validate(context)
        let f32 = ensemble.precision == .f32
        let lessEqual = ensemble.comparison == .lessEqual
        func rounded(_ v: Double) -> Double { f32 ? Double(Float(v)) : v }

        var nodes: [Node] = []
        var roots: [Int32] = []
        roots.reserveCapacity(ensemble.trees.count)
        for (t, tree) in ensemble.trees.enumerated() {
            let base = nodes.count
            guard base + tree.nodeCount < Int(Int32.max) else {
                throw ModelcError(.limitExceeded, "\(context): more than \(Int32.max) tree nodes")
            }
            roots.append(Int32(base))
            // Breadth-first order: appending both children of each split keeps siblings adjacent.
            var order = [0]
            var k = 0
            while k < order.count {
                let i = order[k]
                if !tree.isLeaf(i) {
                    order.append(Int(tree.leftChild[i]))
                    order.append(Int(tree.rightChild[i]))
                }
                k += 1
            }
            var position = [Int32](repeating: 0, count: tree.nodeCount)
            for (k, i) in order.enumerated() { position[i] = Int32(base + k) }
            for i in order {
                if tree.isLeaf(i) {
                    let value = rounded(tree.leafValue[i])
                    guard value.isFinite else {
                        throw ModelcError(.invalidModel, "\(context), tree \(t), node \(i): leaf value overflows float32")
                    }
                    nodes.append(Node(value: value, child: ~Int32(i), bits: 0))
                    continue
                }
                let threshold = rounded(tree.threshold[i])
                let defaultRight = !tree.defaultLeft[i]
                // NaN goes where the rule says; MISSING_NONE compares it as 0.0.
                let nanRight = tree.missing[i] == .none
                    ? !(lessEqual ? 0 <= threshold : 0 < threshold)
                    : defaultRight
                var bits = tree.splitFeature[i]
                if nanRight { bits |= Self.nanRightBit }
                if tree.missing[i] == .zeroDefault { bits |= Self.zeroMissingBit }
                if defaultRight { bits |= Self.zeroRightBit }
                nodes.append(Node(value: threshold, child: position[Int(tree.leftChild[i])], bits: bits))
            }
        }
        self.numFeatures = ensemble.numFeatures
        self.link = ensemble.link
        self.comparison = ensemble.comparison
        self.precision = ensemble.precision
        self.source = ensemble.source
        self.baseScore = rounded(ensemble.baseScore)
        self.nodes = nodes
        self.roots = roots
        self.hasZeroBand = nodes.contains { $0.child >= 0 && $0.bits & Self.zeroMissingBit != 0 }
    }

    /// The margin of one row of at least `numFeatures` values. When `leaves` is given (one slot
    /// per tree), it receives the artifact node index of the leaf each tree reached.
    public func margin(_ row: UnsafeBufferPointer<Double>,
                       leaves: UnsafeMutableBufferPointer<Int32>? = nil) throws(ModelcError) -> Double {
        try checkRow(row.count)
        if let leaves, leaves.count < roots.count {
            throw ModelcError(.invalidArgument, "leaf buffer holds \(leaves.count) slots, the ensemble has \(roots.count) trees")
        }
        let f32 = precision == .f32, lessEqual = comparison == .lessEqual
        func run(_ x: UnsafePointer<Double>) -> Double {
            nodes.withUnsafeBufferPointer { nodes in
                var acc = baseScore
                for t in 0..<roots.count {
                    let leaf = nodes[Self.leaf(nodes, root: Int(roots[t]), row: x, lessEqual: lessEqual, zeroBand: hasZeroBand)]
                    acc = Self.add(acc, leaf.value, f32: f32)
                    leaves?[t] = ~leaf.child
                }
                return acc
            }
        }
        guard f32 else { return run(row.baseAddress!) }
        let rounded = row.map { Double(Float($0)) }
        return rounded.withUnsafeBufferPointer { run($0.baseAddress!) }
    }

    /// Margins of `rowCount` rows stored one after another, `stride` values apart. Rows are
    /// taken in blocks and each block runs through the trees one tree at a time, so a tree's
    /// nodes stay in cache; every row still adds its leaves in tree order, so each margin has
    /// the same bits as `margin(_:)` gives.
    public func margins(_ rows: UnsafeBufferPointer<Double>, rowCount: Int, stride: Int,
                        into out: UnsafeMutableBufferPointer<Double>) throws(ModelcError) {
        try checkRow(stride)
        guard rowCount >= 0, rows.count >= rowCount * stride, out.count >= rowCount else {
            throw ModelcError(.invalidArgument,
                "\(rowCount) rows of \(stride) need \(rowCount * stride) values and \(rowCount) outputs; got \(rows.count) and \(out.count)")
        }
        guard rowCount > 0 else { return }
        let f32 = precision == .f32, lessEqual = comparison == .lessEqual
        let block = 64
        // f32 ensembles compare float32 inputs: each block is rounded once, not at every node.
        var scratch = [Double](repeating: 0, count: f32 ? block * stride : 0)
        nodes.withUnsafeBufferPointer { nodes in
            scratch.withUnsafeMutableBufferPointer { scratch in
                var start = 0
                while start < rowCount {
                    let end = min(start + block, rowCount)
                    var x = rows.baseAddress! + start * stride
                    if f32 {
                        for j in 0..<(end - start) * stride { scratch[j] = Double(Float(x[j])) }
                        x = UnsafePointer(scratch.baseAddress!)
                    }
                    for r in start..<end { out[r] = baseScore }
                    let block = UnsafeMutableBufferPointer(rebasing: out[start..<end])
                    // Constant flags let each call specialise the walk for its comparison and band test.
                    switch (lessEqual, hasZeroBand) {
                    case (false, false): accumulate(nodes, x, stride, block, f32: f32, lessEqual: false, zeroBand: false)
                    case (false, true): accumulate(nodes, x, stride, block, f32: f32, lessEqual: false, zeroBand: true)
                    case (true, false): accumulate(nodes, x, stride, block, f32: f32, lessEqual: true, zeroBand: false)
                    case (true, true): accumulate(nodes, x, stride, block, f32: f32, lessEqual: true, zeroBand: true)
                    }
                    start = end
                }
            }
        }
    }

    /// Adds every tree's leaf to each row's running sum, tree by tree.
    @inline(__always)
    private func accumulate(_ nodes: UnsafeBufferPointer<Node>, _ rows: UnsafePointer<Double>, _ stride: Int,
                            _ sums: UnsafeMutableBufferPointer<Double>, f32: Bool, lessEqual: Bool, zeroBand: Bool) {
        for root in roots {
            for r in 0..<sums.count {
                let leaf = nodes[Self.leaf(nodes, root: Int(root), row: rows + r * stride, lessEqual: lessEqual, zeroBand: zeroBand)]
                sums[r] = Self.add(sums[r], leaf.value, f32: f32)
            }
        }
    }

    private func checkRow(_ count: Int) throws(ModelcError) {
        guard count >= numFeatures else {
            throw ModelcError(.invalidArgument, "a row needs \(numFeatures) values, got \(count)")
        }
    }

    /// One step of the running sum: float32 addition for f32 ensembles (both operands already
    /// hold float32 values, so the float64 result is exact), float64 otherwise.
    @inline(__always)
    static func add(_ acc: Double, _ value: Double, f32: Bool) -> Double {
        f32 ? Double(Float(acc) + Float(value)) : acc + value
    }

    /// Walks one tree from `root` and returns the position of the leaf it reaches; `row` is
    /// already in the ensemble's precision.
    ///
    /// `x > t` (or `x >= t`) is false for NaN, so one comparison decides every ordinary input
    /// and a NaN goes left; the node's NaN bit then sends NaN right where its rule says so. The
    /// zero band is tested only at nodes that have it (and not at all when `zeroBand` is false).
    /// No branch depends on the comparison.
    @inline(__always)
    static func leaf(_ nodes: UnsafeBufferPointer<Node>, root: Int, row: UnsafePointer<Double>,
                     lessEqual: Bool, zeroBand: Bool) -> Int {
        var i = root
        while true {
            let node = nodes[i]
            if node.child < 0 { return i }
            let x = row[Int(node.bits & featureMask)]
            let above: UInt32 = (lessEqual ? x > node.value : x >= node.value) ? 1 : 0
            let nan: UInt32 = x.isNaN ? 1 : 0
            var right = above | (nan & (node.bits & nanRightBit) >> 31)
            if zeroBand && node.bits & zeroMissingBit != 0 && x.magnitude <= TreeEnsembleDefinition.zeroThreshold {
                right = (node.bits & zeroRightBit) >> 29
            }
            i = Int(node.child) &+ Int(right)
        }
    }
}
