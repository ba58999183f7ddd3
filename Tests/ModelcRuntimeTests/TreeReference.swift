import ModelcRuntime

/// The reference the tree kernel is judged by: a recursive walk over the artifact's parallel
/// arrays that spells out Spec.md's rules one by one (float32 comparisons done on Float values),
/// with no flattening, no flag bits and no blocking.
enum TreeReference {
    /// The leaf (artifact node index) that `row` reaches in `tree`.
    static func leaf(_ e: TreeEnsembleDefinition, _ tree: TreeDefinition, _ row: [Double], node: Int = 0) -> Int {
        if tree.leftChild[node] == -1 { return node }
        let left = Int(tree.leftChild[node]), right = Int(tree.rightChild[node])
        let fallback = tree.defaultLeft[node] ? left : right
        let raw = row[Int(tree.splitFeature[node])]
        let goLeft: Bool
        if e.precision == .f32 {
            var x = Float(raw)
            let t = Float(tree.threshold[node])
            switch tree.missing[node] {
            case .nanDefault:
                if x.isNaN { return leaf(e, tree, row, node: fallback) }
            case .zeroDefault:
                if x.isNaN || abs(x) <= Float(1e-35) { return leaf(e, tree, row, node: fallback) }
            case .none:
                if x.isNaN { x = 0 }
            }
            goLeft = e.comparison == .lessThan ? x < t : x <= t
        } else {
            var x = raw
            let t = tree.threshold[node]
            switch tree.missing[node] {
            case .nanDefault:
                if x.isNaN { return leaf(e, tree, row, node: fallback) }
            case .zeroDefault:
                if x.isNaN || abs(x) <= Double(Float(1e-35)) { return leaf(e, tree, row, node: fallback) }
            case .none:
                if x.isNaN { x = 0 }
            }
            goLeft = e.comparison == .lessThan ? x < t : x <= t
        }
        return leaf(e, tree, row, node: goLeft ? left : right)
    }

    /// Base score plus the leaves in tree order, summed in the ensemble's precision.
    static func margin(_ e: TreeEnsembleDefinition, _ row: [Double]) -> (margin: Double, leaves: [Int]) {
        let leaves = e.trees.map { leaf(e, $0, row) }
        if e.precision == .f32 {
            var sum = Float(e.baseScore)
            for (t, tree) in e.trees.enumerated() { sum += Float(tree.leafValue[leaves[t]]) }
            return (Double(sum), leaves)
        }
        var sum = e.baseScore
        for (t, tree) in e.trees.enumerated() { sum += tree.leafValue[leaves[t]] }
        return (sum, leaves)
    }
}

/// A small seeded generator (xorshift64*) so random cases are the same on every run.
struct TestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed | 1 }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 2685821657736338717
    }

    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// Uniform in [-1, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 52) - 1 }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}
