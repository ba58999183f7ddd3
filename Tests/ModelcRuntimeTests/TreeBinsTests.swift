import ModelcRuntime
import XCTest

/// The binned batch kernel (Spec.md §9.10) against the reference walker, and the limits past
/// which a forest's batches stay on the walks.
final class TreeBinsTests: XCTestCase {
    /// Thresholds from a pool small enough for the byte kernel, with ±∞ (splits whose test nothing
    /// passes once turned into `>=`) and the edges.
    static let pool: [Double] = RandomTrees.edges + [.infinity, -.infinity] + (0..<40).map { Double($0) / 16 - 1.2 }

    func testBinnedBatchesMatchTheReference() throws {
        var rng = TestRandom(seed: 11)
        for precision in [ThresholdPrecision.f32, .f64] {
            for comparison in [SplitComparison.lessThan, .lessEqual] {
                // Full depth-6 trees, mostly full ones (complete layouts with leaf copies), and sparse
                // ones up to 12 deep (breadth-first), each within the kernel's 255 nodes.
                for (maxDepth, stop) in [(6, 0), (5, 4), (12, 3)] {
                    let trees = (0..<37).map { _ in
                        var tree: TreeDefinition
                        repeat {
                            tree = RandomTrees.tree(&rng, features: 4, maxDepth: maxDepth, stop: stop) { $0.pick(Self.pool) }
                        } while tree.nodeCount > 255
                        return tree
                    }
                    let e = TreeEnsembleDefinition(numFeatures: 4, trees: trees, baseScore: 0.25, link: .logistic,
                                                   comparison: comparison, precision: precision, source: .native)
                    let forest = try TreeForest(e, context: "binned")
                    let label = "\(precision) \(comparison) depth \(maxDepth)"
                    XCTAssertTrue(forest.batchesAreBinned, label)
                    // 612 rows: two blocks and a last block of 100, all binned; 300: one block, then
                    // 44 rows on the walks.
                    for count in [612, 300] {
                        let rows = (0..<count).map { _ in RandomTrees.row(&rng, e) }
                        let batch = try RandomTrees.batch(forest, rows, width: 4)
                        for (r, row) in rows.enumerated() {
                            XCTAssertEqual(batch[r].bitPattern, TreeReference.margin(e, row).margin.bitPattern, "\(label) row \(r)")
                        }
                    }
                }
            }
        }
    }

    /// A stump on `feature`; NaN goes left or right; leaf values that tell the trees apart.
    private func stump(_ feature: Int, _ threshold: Double, nanLeft: Bool, _ i: Int) -> TreeDefinition {
        TreeDefinition(splitFeature: [UInt32(feature), 0, 0], threshold: [threshold, 0, 0], leftChild: [1, -1, -1],
                       rightChild: [2, -1, -1], defaultLeft: [nanLeft, false, false],
                       missing: [.nanDefault, .nanDefault, .nanDefault],
                       leafValue: [0, -1 - Double(i) / 1024, 1 + Double(i) / 4096])
    }

    /// Checks whether `trees` are binned, and that batches score as the reference either way.
    private func check(_ trees: [TreeDefinition], width: Int, binned: Bool, _ label: String) throws {
        let e = TreeEnsembleDefinition(numFeatures: width, trees: trees, baseScore: 0, link: .identity,
                                       comparison: .lessThan, precision: .f64, source: .native)
        let forest = try TreeForest(e, context: label)
        XCTAssertEqual(forest.batchesAreBinned, binned, label)
        var rng = TestRandom(seed: 5)
        let rows = (0..<300).map { _ in (0..<width).map { _ in rng.below(9) == 0 ? Double.nan : rng.unit() * 40 } }
        let batch = try RandomTrees.batch(forest, rows, width: width)
        for (r, row) in rows.enumerated() {
            XCTAssertEqual(batch[r].bitPattern, TreeReference.margin(e, row).margin.bitPattern, "\(label) row \(r)")
        }
    }

    /// The same on every instruction-set variant of the binned kernel the CPU runs.
    func testEveryVariantMatchesTheReference() throws {
        try forEachKernelVariant { try testBinnedBatchesMatchTheReference() }
    }

    func testAColumnTakesAtMost255Thresholds() throws {
        for (distinct, binned) in [(255, true), (256, false)] {
            let trees = (0..<distinct).map { stump(0, Double($0) / 8 - 16, nanLeft: true, $0) }
            try check(trees, width: 1, binned: binned, "\(distinct) thresholds")
        }
    }

    func testAForestTakesAtMost255Columns() throws {
        // x and −x of 128 features: 256 columns (NaN left reads x, NaN right −x); one fewer fits.
        let all = (0..<256).map { stump($0 / 2, 0.5, nanLeft: $0 % 2 == 0, $0) }
        try check(all, width: 128, binned: false, "256 columns")
        try check(Array(all.dropLast()), width: 128, binned: true, "255 columns")
    }

    func testATreeTakesAtMost255Nodes() throws {
        // A chain of splits, each with a leaf on its left: 2s + 1 nodes (laid out breadth-first).
        func chain(_ splits: Int) -> TreeDefinition {
            var tree = TreeDefinition(splitFeature: [], threshold: [], leftChild: [], rightChild: [],
                                      defaultLeft: [], missing: [], leafValue: [])
            for s in 0..<splits {
                let node = tree.appendLeaf(0)
                let i = Int(node)
                tree.splitFeature[i] = UInt32(s % 3)
                tree.threshold[i] = Double(s % 29) - 14
                tree.leftChild[i] = node + 1
                tree.rightChild[i] = node + 2
                tree.defaultLeft[i] = s % 2 == 0
                _ = tree.appendLeaf(Double(s))
            }
            _ = tree.appendLeaf(Double(splits))
            return tree
        }
        try check([chain(127), chain(5)], width: 3, binned: true, "255 nodes")
        try check([chain(128), chain(5)], width: 3, binned: false, "257 nodes")
    }
}
