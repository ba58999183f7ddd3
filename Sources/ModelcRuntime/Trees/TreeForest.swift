import CModelcKernels

/// A tree ensemble flattened for the C kernel (`mck_forest` in modelc_kernels.h), built once
/// when a model is loaded.
///
/// Every split becomes one test, `v[f] >= t` (false for NaN), over the row expanded into copies:
/// x, −x and, when some split has the zero band, x and −x with NaN for |x| ≤ Z. Per split the
/// loader picks the copy, the threshold (negated, or moved to the next value up in the
/// precision, so that `<`, `<=` and the side NaN takes all become that one test) and the order of
/// the two children, which sit side by side after their parent's level (breadth-first), so the
/// next node is `pass − 1 + test`. A leaf tests NaN and leads back to itself, so a walk of the
/// tree's depth always ends on the right leaf whatever path it took. Full shallow trees are laid
/// out complete (see `layout`), which the batch kernel walks by position. The kernel compares
/// order keys of the values, which order as the values do (Spec.md §9.10).
///
/// Semantics (Spec.md, "Tree ensembles"): a split sends NaN per its missing rule, a near-zero
/// input per the zero rule, everything else left when `x < t` (or `x <= t`) in the ensemble's
/// precision; the margin is `base_score` plus each tree's leaf, added in tree order, in that
/// precision.
public struct TreeForest: Sendable {
    public let numFeatures: Int
    public let link: TreeLink
    public let comparison: SplitComparison
    public let precision: ThresholdPrecision
    public let source: TreeSource
    /// The base score rounded to the precision.
    public let baseScore: Double
    /// Per node: the order key of the test's threshold (`mck_tree_threshold_key32` of the float32
    /// threshold under THRESHOLD_F32, only `keys32` filled; else `…key64`, only `keys64`), the
    /// position of its value in the expanded row, and the child a passing test goes to (the other
    /// sits just before it). A leaf: threshold NaN, slot 0, itself plus one.
    let keys64: [UInt64]
    let keys32: [UInt32]
    let slots: [UInt32]
    let pass: [Int32]
    /// Per node: the leaf value (rounded to the precision) at leaves, 0 at splits.
    let leafValue: [Double]
    /// Per node: the node's index in the artifact's tree (what `margin(_:leaves:)` reports).
    let artifactIndex: [Int32]
    let roots: [Int32]
    /// Per tree: steps from the root that reach a leaf on every path (the deepest leaf's depth).
    let depths: [UInt32]
    /// Per tree: 1 when it is laid out complete (see `layout`), else 0.
    let heap: [UInt8]
    /// 4 when some split has MISSING_ZERO_DEFAULT (the zero-banded copies are needed), else 2.
    let copies: UInt32
    /// The binned form batches use, when the forest fits it (see TreeBins).
    let bins: TreeBins?
    /// LINK_SOFTMAX: the forests of the other classes, in class order (this one is `outputClass`).
    let otherClasses: [TreeForest]
    let outputClass: Int
    /// The sum is divided by the tree count (a random forest's average).
    let averageTrees: Bool

    /// Whether batches of rows run on the binned form (else on the walks single rows use).
    public var batchesAreBinned: Bool { bins != nil }

    public var treeCount: Int { roots.count }

    /// Validates `ensemble` and flattens it; `context` names the component and member in errors.
    public init(_ definition: TreeEnsembleDefinition, context: String) throws(ModelcError) {
        try definition.validate(context)
        // A multiclass ensemble: this forest holds the output class's trees, the others theirs.
        var ensemble = definition, others: [TreeForest] = []
        if definition.numClass >= 2 {
            for k in 0..<definition.numClass where k != definition.outputClass {
                others.append(try TreeForest(definition.classEnsemble(k), context: "\(context), class \(k)"))
            }
            ensemble = definition.classEnsemble(definition.outputClass)
        }
        let f32 = ensemble.precision == .f32
        let lessEqual = ensemble.comparison == .lessEqual
        let width = UInt32(ensemble.numFeatures)
        func rounded(_ v: Double) -> Double { f32 ? Double(Float(v)) : v }
        /// The least value above `v` in the precision; NaN (a test nothing passes) above +inf.
        func above(_ v: Double) -> Double {
            if v == .infinity { return .nan }
            return f32 ? Double(Float(v).nextUp) : v.nextUp
        }
        let banded = ensemble.trees.contains { tree in
            tree.missing.indices.contains { !tree.isLeaf($0) && tree.missing[$0] == .zeroDefault }
        }

        var tests: [Double] = [], slots: [UInt32] = [], passes: [Int32] = []
        var leafValue: [Double] = [], artifactIndex: [Int32] = []
        var roots: [Int32] = [], depths: [UInt32] = [], heap: [UInt8] = []
        roots.reserveCapacity(ensemble.trees.count)
        depths.reserveCapacity(ensemble.trees.count)
        heap.reserveCapacity(ensemble.trees.count)
        for (t, tree) in ensemble.trees.enumerated() {
            let base = tests.count
            let (order, firstChild, deepest, complete) = Self.layout(tree, lessEqual: lessEqual, f32: f32)
            guard base + order.count < Int(Int32.max) else {
                throw ModelcError(.limitExceeded, "\(context): more than \(Int32.max) tree nodes")
            }
            roots.append(Int32(base))
            depths.append(UInt32(deepest))
            heap.append(complete ? 1 : 0)
            for (k, i) in order.enumerated() {
                artifactIndex.append(Int32(i))
                if tree.isLeaf(i) {
                    let value = rounded(tree.leafValue[i])
                    guard value.isFinite else {
                        throw ModelcError(.invalidModel, "\(context), tree \(t), node \(i): leaf value overflows float32")
                    }
                    tests.append(.nan)
                    slots.append(0)
                    passes.append(Int32(base + k + 1))
                    leafValue.append(value)
                    continue
                }
                let threshold = rounded(tree.threshold[i])
                let nanRight = Self.nanGoesRight(tree, i, lessEqual: lessEqual, f32: f32)
                let band: UInt32 = tree.missing[i] == .zeroDefault ? 2 : 0
                let feature = tree.splitFeature[i]
                if nanRight {
                    // Left when x < t (x <= t), that is −x >= above(−t) (−x >= −t); NaN fails.
                    slots.append((band + 1) * width + feature)
                    tests.append(lessEqual ? -threshold : above(-threshold))
                } else {
                    // Right when x >= t (x > t, that is x >= above(t)); NaN fails.
                    slots.append(band * width + feature)
                    tests.append(lessEqual ? above(threshold) : threshold)
                }
                passes.append(Int32(base + firstChild[k] + 1))
                leafValue.append(0)
            }
        }
        self.numFeatures = ensemble.numFeatures
        self.link = definition.link
        self.otherClasses = others
        self.outputClass = definition.outputClass
        self.averageTrees = definition.averageTrees
        self.comparison = ensemble.comparison
        self.precision = ensemble.precision
        self.source = ensemble.source
        self.baseScore = rounded(ensemble.baseScore)
        let keys64 = f32 ? [] : tests.map { mck_tree_threshold_key64($0) }
        let keys32 = f32 ? tests.map { mck_tree_threshold_key32(Float($0)) } : []
        self.keys64 = keys64
        self.keys32 = keys32
        self.slots = slots
        self.pass = passes
        self.leafValue = leafValue
        self.artifactIndex = artifactIndex
        self.roots = roots
        self.depths = depths
        self.heap = heap
        self.copies = banded ? 4 : 2
        self.bins = TreeBins.make(keys32: keys32, keys64: keys64, slots: slots, pass: passes, roots: roots,
                                  depths: depths, heap: heap)
    }

    /// Trees whose complete layout would take more than this many times their nodes keep the
    /// breadth-first one (a deep, sparse tree would otherwise grow exponentially).
    static let maxHeapGrowth = 2

    /// One tree's layout: the artifact node at each position, the position of each split's first
    /// child, the depth of the deepest leaf, and whether the layout is complete.
    ///
    /// Breadth-first, each split's two children side by side after their parent's level, the one
    /// a failing test goes to first. When the complete tree of that depth takes at most
    /// `maxHeapGrowth` times the tree's nodes, every leaf above the last level also gets two
    /// children, copies of itself (so any walk that reaches it ends on that leaf, reported as it),
    /// which puts the children of position k at 2k + 1 and 2k + 2.
    private static func layout(_ tree: TreeDefinition, lessEqual: Bool, f32: Bool)
        -> (order: [Int], firstChild: [Int], deepest: Int, complete: Bool) {
        func build(fillTo bottom: Int) -> (order: [Int], firstChild: [Int], deepest: Int) {
            var order = [0], depth = [0], firstChild: [Int] = []
            var k = 0, deepest = 0
            while k < order.count {
                let i = order[k]
                deepest = max(deepest, depth[k])
                if !tree.isLeaf(i) || depth[k] < bottom {
                    firstChild.append(order.count)
                    if tree.isLeaf(i) {
                        order.append(contentsOf: [i, i])
                    } else {
                        let left = Int(tree.leftChild[i]), right = Int(tree.rightChild[i])
                        order.append(contentsOf: nanGoesRight(tree, i, lessEqual: lessEqual, f32: f32) ? [right, left] : [left, right])
                    }
                    depth.append(contentsOf: [depth[k] + 1, depth[k] + 1])
                } else {
                    firstChild.append(k)
                }
                k += 1
            }
            return (order, firstChild, deepest)
        }
        let sparse = build(fillTo: 0)
        // 2^(d+1) − 1 positions, counted so that a deep tree cannot overflow the shift.
        guard sparse.deepest < 30, (2 << sparse.deepest) - 1 <= maxHeapGrowth * tree.nodeCount else {
            return (sparse.order, sparse.firstChild, sparse.deepest, false)
        }
        let full = build(fillTo: sparse.deepest)
        return (full.order, full.firstChild, full.deepest, true)
    }

    /// Whether split `i` sends NaN right: per its default side, or (MISSING_NONE) where 0.0 goes.
    private static func nanGoesRight(_ tree: TreeDefinition, _ i: Int, lessEqual: Bool, f32: Bool) -> Bool {
        guard tree.missing[i] == .none else { return !tree.defaultLeft[i] }
        let t = f32 ? Double(Float(tree.threshold[i])) : tree.threshold[i]
        return !(lessEqual ? 0 <= t : 0 < t)
    }

    /// Runs `body` with the C view of this forest.
    private func withKernel<R>(_ body: (UnsafePointer<mck_forest>) -> R) -> R {
        slots.withUnsafeBufferPointer { slots in
            pass.withUnsafeBufferPointer { pass in
                leafValue.withUnsafeBufferPointer { leafValue in
                    roots.withUnsafeBufferPointer { roots in
                        depths.withUnsafeBufferPointer { depths in
                            heap.withUnsafeBufferPointer { heap in
                                func run(_ keys: UnsafeRawBufferPointer) -> R {
                                    var forest = mck_forest(
                                        key: keys.baseAddress, slot: slots.baseAddress, pass: pass.baseAddress,
                                        leaf_value: leafValue.baseAddress, roots: roots.baseAddress,
                                        depths: depths.baseAddress, heap: heap.baseAddress, n_trees: roots.count,
                                        width: numFeatures, copies: copies, f32: precision == .f32 ? 1 : 0,
                                        base_score: baseScore)
                                    return body(&forest)
                                }
                                return precision == .f32 ? keys32.withUnsafeBytes(run) : keys64.withUnsafeBytes(run)
                            }
                        }
                    }
                }
            }
        }
    }

    /// The margin of one row of at least `numFeatures` values. When `leaves` is given (one slot
    /// per tree), it receives the artifact node index of the leaf each tree reached.
    public func margin(_ row: UnsafeBufferPointer<Double>,
                       leaves: UnsafeMutableBufferPointer<Int32>? = nil) throws(ModelcError) -> Double {
        let arena = ScratchArena()
        defer { arena.reset() }
        return try margin(row, leaves: leaves, arena: arena)
    }

    /// The same, the expanded row taken from `arena` when it outgrows the kernel's stack.
    func margin(_ row: UnsafeBufferPointer<Double>, leaves: UnsafeMutableBufferPointer<Int32>? = nil,
                arena: ScratchArena) throws(ModelcError) -> Double {
        try checkRow(row.count)
        if let leaves, leaves.count < roots.count {
            throw ModelcError(.invalidArgument, "leaf buffer holds \(leaves.count) slots, the ensemble has \(roots.count) trees")
        }
        let expanded = Int(copies) * numFeatures
        let mark = arena.mark
        defer { arena.release(to: mark) }
        let scratch = expanded > Int(MCK_FOREST_STACK_VALUES) ? arena.take(Double.self, expanded) : nil
        let margin = withKernel { mck_forest_margin($0, row.baseAddress, leaves?.baseAddress, scratch) }
        if let leaves {
            for t in 0..<roots.count { leaves[t] = artifactIndex[Int(leaves[t])] }
        }
        return averaged(margin)
    }

    /// The sum divided by the tree count in the precision, when the forest averages.
    private func averaged(_ sum: Double) -> Double {
        guard averageTrees else { return sum }
        return precision == .f32 ? Double(Float(sum) / Float(roots.count)) : sum / Double(roots.count)
    }

    /// The probability of one row whose margin is `margin`: the link of it, or (LINK_SOFTMAX) the
    /// output class's softmax share, the other classes' margins scored here.
    func probability(_ row: UnsafeBufferPointer<Double>, margin: Double, arena: ScratchArena) throws(ModelcError) -> Double {
        switch link {
        case .identity: return margin
        case .logistic: return DMath.sigmoid(margin)
        case .softmax:
            let mark = arena.mark
            defer { arena.release(to: mark) }
            let others = arena.take(Double.self, otherClasses.count)
            for (c, forest) in otherClasses.enumerated() { others[c] = try forest.margin(row, arena: arena) }
            return softmaxShare(margin, others: others, stride: 1)
        }
    }

    /// The probabilities of `rowCount` rows (as `margins(_:rowCount:stride:into:)` takes them)
    /// whose margins are `margins`: the same bits as `probability` of each row.
    func probabilities(_ rows: UnsafeBufferPointer<Double>, rowCount: Int, stride: Int, margins: UnsafeMutableBufferPointer<Double>,
                       into out: UnsafeMutableBufferPointer<Double>, arena: ScratchArena) throws(ModelcError) {
        switch link {
        case .identity: for r in 0..<rowCount { out[r] = margins[r] }
        case .logistic: for r in 0..<rowCount { out[r] = DMath.sigmoid(margins[r]) }
        case .softmax:
            let mark = arena.mark
            defer { arena.release(to: mark) }
            // Class-major: the margins of other class c are at c * rowCount.
            let others = arena.take(Double.self, otherClasses.count * rowCount)
            for (c, forest) in otherClasses.enumerated() {
                try forest.margins(rows, rowCount: rowCount, stride: stride,
                                   into: UnsafeMutableBufferPointer(start: others + c * rowCount, count: rowCount), arena: arena)
            }
            for r in 0..<rowCount { out[r] = softmaxShare(margins[r], others: others + r, stride: rowCount) }
        }
    }

    /// exp(m − top) / Σₖ exp(mₖ − top) over the classes in class order, `top` the largest margin,
    /// as the libraries compute it: THRESHOLD_F64 all in float64 (LightGBM); THRESHOLD_F32
    /// (XGBoost) each difference and exp in float32, their sum in float64, the quotient in
    /// float32. `others` holds the other classes' margins `stride` apart.
    private func softmaxShare(_ margin: Double, others: UnsafeMutablePointer<Double>, stride: Int) -> Double {
        let count = otherClasses.count + 1
        func classMargin(_ k: Int) -> Double {
            k == outputClass ? margin : others[(k < outputClass ? k : k - 1) * stride]
        }
        var top = classMargin(0)
        for k in 1..<count { top = Swift.max(top, classMargin(k)) }
        var sum = 0.0
        if precision == .f32 {
            for k in 0..<count { sum += Double(DMath.exp(Float(classMargin(k)) - Float(top))) }
            return Double(DMath.exp(Float(margin) - Float(top)) / Float(sum))
        }
        for k in 0..<count { sum += DMath.exp(classMargin(k) - top) }
        return DMath.exp(margin - top) / sum
    }

    /// Margins of `rowCount` rows stored one after another, `stride` values apart. The kernel
    /// takes rows in blocks and runs each block through one tree at a time, so a tree's nodes stay
    /// in cache (on the binned form when the forest has one and the batch is large enough); every
    /// row still adds its leaves in tree order, so each margin has the same bits as `margin(_:)`
    /// gives.
    public func margins(_ rows: UnsafeBufferPointer<Double>, rowCount: Int, stride: Int,
                        into out: UnsafeMutableBufferPointer<Double>) throws(ModelcError) {
        let arena = ScratchArena()
        defer { arena.reset() }
        try margins(rows, rowCount: rowCount, stride: stride, into: out, arena: arena)
    }

    /// The same, the kernel's scratch taken from `arena`.
    func margins(_ rows: UnsafeBufferPointer<Double>, rowCount: Int, stride: Int,
                 into out: UnsafeMutableBufferPointer<Double>, arena: ScratchArena) throws(ModelcError) {
        try checkRow(stride)
        guard rowCount >= 0, rows.count >= rowCount * stride, out.count >= rowCount else {
            throw ModelcError(.invalidArgument,
                "\(rowCount) rows of \(stride) need \(rowCount * stride) values and \(rowCount) outputs; got \(rows.count) and \(out.count)")
        }
        guard rowCount > 0 else { return }
        let mark = arena.mark
        defer { arena.release(to: mark) }
        withKernel { forest in
            withBins { bins in
                let scratch = arena.take(Double.self, mck_forest_scratch_count(forest, bins))
                mck_forest_margins(forest, bins, rows.baseAddress, rowCount, stride, out.baseAddress, scratch)
            }
        }
        if averageTrees {
            for r in 0..<rowCount { out[r] = averaged(out[r]) }
        }
    }

    /// Runs `body` with the C view of the binned form, or NULL.
    private func withBins<R>(_ body: (UnsafePointer<mck_forest_bins>?) -> R) -> R {
        guard let bins else { return body(nil) }
        return bins.withKernel { body($0) }
    }

    private func checkRow(_ count: Int) throws(ModelcError) {
        guard count >= numFeatures else {
            throw ModelcError(.invalidArgument, "a row needs \(numFeatures) values, got \(count)")
        }
    }
}
