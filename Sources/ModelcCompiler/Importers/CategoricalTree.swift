import ModelcFormat
import ModelcRuntime

/// A tree with categorical splits, read from another library's node arrays and written with
/// numerical splits only, so the format and the runtime know nothing of categories
/// (Spec.md §9.7, §9.8).
///
/// A categorical split sends x one way per interval of x (the library's rule of how x becomes a
/// category); it becomes a balanced tree of threshold tests, in the ensemble's comparison, over
/// the bounds where the side changes, each of its leaves a copy of the child subtree of its
/// side. NaN follows, at each of those tests, the default direction toward an interval of the
/// side the library sends NaN. Nodes are written in preorder (children after their parent);
/// the library's node numbers are not kept.
struct CategoricalTree {
    /// One node of the library's tree; children are indices into the same list, 0 the root.
    enum Node {
        case leaf(Double)
        case split(feature: UInt32, threshold: Double, defaultLeft: Bool, missing: Modelc_MissingRule, left: Int, right: Int)
        /// `intervals`: in increasing x, each one's upper bound (the threshold that separates it
        /// from the next; nil for the last) and whether its x go left.
        case categorical(feature: UInt32, intervals: [(upper: Double?, left: Bool)], nanLeft: Bool, left: Int, right: Int)
    }

    let nodes: [Node]
    /// Names the tree in errors.
    let fail: (String) -> ImportError
    private var tree = Modelc_Tree()

    init(nodes: [Node], fail: @escaping (String) -> ImportError) {
        self.nodes = nodes
        self.fail = fail
    }

    /// The tree; `nodes` must form a tree (each node the child of at most one split), which the
    /// callers check, so copying subtrees ends.
    consuming func build() throws(ImportError) -> Modelc_Tree {
        _ = try emit(0)
        return tree
    }

    private mutating func emit(_ i: Int) throws(ImportError) -> Int32 {
        guard tree.leftChild.count < ArtifactLimits.maxTreeNodes else {
            throw fail("its categorical splits expand past \(ArtifactLimits.maxTreeNodes) nodes")
        }
        guard i >= 0, i < nodes.count else { throw fail("node \(i) does not exist") }
        let at = tree.leftChild.count
        switch nodes[i] {
        case .leaf(let value):
            append(feature: 0, threshold: 0, defaultLeft: false, missing: .missingNanDefault, leaf: value)
        case let .split(feature, threshold, defaultLeft, missing, left, right):
            append(feature: feature, threshold: threshold, defaultLeft: defaultLeft, missing: missing, leaf: 0)
            let l = try emit(left), r = try emit(right)
            link(at, l, r)
        case let .categorical(feature, intervals, nanLeft, left, right):
            guard intervals.contains(where: { $0.left == nanLeft }) else {
                throw fail("node \(i) sends every category \(nanLeft ? "right" : "left") and NaN the other way")
            }
            return try emitIntervals(intervals, 0, intervals.count - 1, feature: feature, nanLeft: nanLeft, children: (left, right))
        }
        return Int32(at)
    }

    /// A balanced tree of tests over `intervals[lo...hi]`.
    private mutating func emitIntervals(_ intervals: [(upper: Double?, left: Bool)], _ lo: Int, _ hi: Int, feature: UInt32,
                                        nanLeft: Bool, children: (left: Int, right: Int)) throws(ImportError) -> Int32 {
        if lo == hi { return try emit(intervals[lo].left ? children.left : children.right) }
        let mid = (lo + hi) / 2
        let at = tree.leftChild.count
        let nanGoesLeft = intervals[lo...mid].contains { $0.left == nanLeft }
        append(feature: feature, threshold: intervals[mid].upper!, defaultLeft: nanGoesLeft, missing: .missingNanDefault, leaf: 0)
        let l = try emitIntervals(intervals, lo, mid, feature: feature, nanLeft: nanLeft, children: children)
        let r = try emitIntervals(intervals, mid + 1, hi, feature: feature, nanLeft: nanLeft, children: children)
        link(at, l, r)
        return Int32(at)
    }

    private mutating func append(feature: UInt32, threshold: Double, defaultLeft: Bool, missing: Modelc_MissingRule, leaf: Double) {
        tree.splitFeature.append(feature)
        tree.threshold.append(threshold)
        tree.leftChild.append(-1)
        tree.rightChild.append(-1)
        tree.defaultLeft.append(defaultLeft)
        tree.missing.append(missing)
        tree.leafValue.append(leaf)
    }

    private mutating func link(_ at: Int, _ left: Int32, _ right: Int32) {
        tree.leftChild[at] = left
        tree.rightChild[at] = right
    }

    /// The intervals of a categorical split in increasing x, adjacent ones of one side merged
    /// as they are added (so a wide category range costs only its runs).
    struct Intervals {
        private(set) var sides: [(upper: Double?, left: Bool)] = []

        /// The next interval: its upper bound (nil: +inf) and whether its x go left.
        mutating func add(_ upper: Double?, left: Bool) {
            if let last = sides.last, last.left == left { sides[sides.count - 1].upper = upper } else { sides.append((upper, left)) }
        }
    }
}
