import ModelcFormat
import ModelcRuntime

/// The category sets of a LightGBM tree: `cat_threshold` bitsets (32-bit words), set k in words
/// `boundaries[k] ..< boundaries[k + 1]`.
struct CategoricalSplits {
    var boundaries: [Int]
    var words: [Int]

    /// Whether category `c` (0 or more) is in set `k`: it then goes left.
    func contains(_ c: Int, set k: Int) -> Bool {
        let word = boundaries[k] + c / 32
        return word < boundaries[k + 1] && (words[word] >> (c % 32)) & 1 != 0
    }

    /// Categories past the last word of set `k` are in no set.
    func limit(set k: Int) -> Int { (boundaries[k + 1] - boundaries[k]) * 32 }
}

/// A LightGBM tree with categorical splits, as numerical splits the runtime evaluates
/// (Spec.md §9.8). LightGBM sends x left when its category is in the split's set: NaN goes
/// right whatever the missing type (checked against LightGBM 4.7.0 with category 0 in the set);
/// otherwise the category is x truncated toward zero, and a negative one goes right. That is a side per interval of x —
/// (−inf, −1], (−1, 1) for category 0, [c, c + 1) for c ≥ 1, [limit, +inf) — so each categorical
/// split becomes a balanced tree of `x <= t` tests over the boundaries where the side changes,
/// each of its leaves a copy of the child subtree of its side. Nodes are written in preorder;
/// LightGBM's leaf numbers are not kept.
struct CategoricalTree {
    let section: Section
    let feature: [Int], threshold: [Double], decision: [Int], left: [Int], right: [Int]
    let leafValue: [Double]
    let categories: CategoricalSplits
    private var tree = Modelc_Tree()

    init(section: Section, feature: [Int], threshold: [Double], decision: [Int], left: [Int], right: [Int],
         leafValue: [Double], categories: CategoricalSplits) {
        self.section = section
        self.feature = feature
        self.threshold = threshold
        self.decision = decision
        self.left = left
        self.right = right
        self.leafValue = leafValue
        self.categories = categories
    }

    /// The tree (its splits already checked to form a tree by the caller).
    consuming func build() throws(ImportError) -> Modelc_Tree {
        _ = try emit(0)
        return tree
    }

    /// Writes the subtree of `child` (a split, or ~leaf when negative); returns its root node.
    private mutating func emit(_ child: Int) throws(ImportError) -> Int32 {
        guard tree.leftChild.count < ArtifactLimits.maxTreeNodes else {
            throw section.fail("cat_threshold", "the categorical splits expand past \(ArtifactLimits.maxTreeNodes) nodes")
        }
        let at = Int32(tree.leftChild.count)
        guard child >= 0 else {
            guard ~child < leafValue.count else { throw section.fail("left_child", "leaf \(~child) does not exist") }
            LightGBMImporter.appendNode(&tree, feature: 0, threshold: 0, left: -1, right: -1, defaultLeft: false,
                                        missing: .missingNanDefault, leaf: leafValue[~child])
            return at
        }
        let j = child
        if decision[j] & 1 == 0 {
            LightGBMImporter.appendNode(&tree, feature: try LightGBMImporter.splitFeature(section, feature, j),
                                        threshold: LightGBMImporter.nearZeroExact(threshold[j]), left: 0, right: 0,
                                        defaultLeft: decision[j] & 2 != 0, missing: try LightGBMImporter.missingRule(section, decision, j), leaf: 0)
            let l = try emit(left[j]), r = try emit(right[j])
            tree.leftChild[Int(at)] = l
            tree.rightChild[Int(at)] = r
            return at
        }
        let set = Int(threshold[j])
        guard Double(set) == threshold[j], set >= 0, set < categories.boundaries.count - 1 else {
            throw section.fail("threshold", "categorical split \(j) names category set \(threshold[j]), the tree has \(categories.boundaries.count - 1)")
        }
        let sides = intervals(set)
        return try emitIntervals(sides, 0, sides.count - 1, split: j)
    }

    /// The intervals of x with one side each, adjacent ones of one side merged: (upper bound,
    /// inclusive, or nil for +inf; goes left).
    private func intervals(_ set: Int) -> [(upper: Double?, left: Bool)] {
        var out: [(upper: Double?, left: Bool)] = [(-1, false)]
        func add(_ upper: Double?, _ left: Bool) {
            if out[out.count - 1].left == left { out[out.count - 1].upper = upper } else { out.append((upper, left)) }
        }
        let limit = categories.limit(set: set)
        for c in 0..<limit {
            add(Double(c + 1).nextDown, categories.contains(c, set: set))
        }
        add(nil, false)
        return out
    }

    /// A balanced tree of `x <= upper` tests over `intervals[lo...hi]`; NaN goes right at every
    /// test, ending in the last interval, which goes right.
    private mutating func emitIntervals(_ intervals: [(upper: Double?, left: Bool)], _ lo: Int, _ hi: Int,
                                        split j: Int) throws(ImportError) -> Int32 {
        if lo == hi { return try emit(intervals[lo].left ? left[j] : right[j]) }
        let mid = (lo + hi) / 2
        let at = Int32(tree.leftChild.count)
        LightGBMImporter.appendNode(&tree, feature: try LightGBMImporter.splitFeature(section, feature, j),
                                    threshold: intervals[mid].upper!, left: 0, right: 0, defaultLeft: false,
                                    missing: .missingNanDefault, leaf: 0)
        let l = try emitIntervals(intervals, lo, mid, split: j), r = try emitIntervals(intervals, mid + 1, hi, split: j)
        tree.leftChild[Int(at)] = l
        tree.rightChild[Int(at)] = r
        return at
    }
}
