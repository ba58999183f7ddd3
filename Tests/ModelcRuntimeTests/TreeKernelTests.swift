import ModelcRuntime
import XCTest

/// The flattened tree kernel against the reference walker on random ensembles and rows built
/// to hit every rule, plus hand-worked cases for each rule.
final class TreeKernelTests: XCTestCase {
    func testKernelMatchesTheReferenceOnRandomEnsembles() throws {
        var rng = TestRandom(seed: 7)
        for (i, precision) in [ThresholdPrecision.f32, .f64, .f32, .f64].enumerated() {
            // 43 trees: the kernel walks trees of one row 16 at a time, so the last group is partial;
            // 300 features (in the last round) make a row too wide for the kernel's stack buffer.
            // Depths 2 to 12: shallow trees are mostly full (laid out complete), the deepest are
            // sparse and deeper than 8 (breadth-first, walked with early stops).
            let features = i == 3 ? 300 : 5
            for comparison in [SplitComparison.lessThan, .lessEqual] {
                let e = TreeEnsembleDefinition(
                    numFeatures: features, trees: (0..<43).map { _ in RandomTrees.tree(&rng, features: features, maxDepth: [2, 4, 6, 12][i]) },
                    baseScore: i < 2 ? -0.18034713 : 0.3, link: .logistic, comparison: comparison,
                    precision: precision, source: .native)
                let forest = try TreeForest(e, context: "random")
                let rows = (0..<300).map { _ in RandomTrees.row(&rng, e) }
                let batch = try RandomTrees.batch(forest, rows, width: features)
                for (r, row) in rows.enumerated() {
                    let expected = TreeReference.margin(e, row)
                    var leaves = [Int32](repeating: -1, count: e.trees.count)
                    let margin = try row.withUnsafeBufferPointer { buf in
                        try leaves.withUnsafeMutableBufferPointer { try forest.margin(buf, leaves: $0) }
                    }
                    XCTAssertEqual(leaves.map(Int.init), expected.leaves, "\(precision) \(comparison) row \(r)")
                    XCTAssertEqual(margin.bitPattern, expected.margin.bitPattern, "\(precision) \(comparison) row \(r)")
                    XCTAssertEqual(batch[r].bitPattern, margin.bitPattern, "batch, \(precision) \(comparison) row \(r)")
                }
            }
        }
    }

    /// One split on feature 0 with threshold `t`, leaves -1 (left) and +1 (right).
    private func stump(_ t: Double, _ comparison: SplitComparison, _ precision: ThresholdPrecision,
                       missing: MissingRule, defaultLeft: Bool) throws -> TreeForest {
        let tree = TreeDefinition(splitFeature: [0, 0, 0], threshold: [t, 0, 0], leftChild: [1, -1, -1],
                                  rightChild: [2, -1, -1], defaultLeft: [defaultLeft, false, false],
                                  missing: [missing, .nanDefault, .nanDefault], leafValue: [0, -1, 1])
        return try TreeForest(TreeEnsembleDefinition(numFeatures: 1, trees: [tree], baseScore: 0, link: .identity,
                                                     comparison: comparison, precision: precision, source: .native),
                              context: "stump")
    }

    private func side(_ forest: TreeForest, _ x: Double) throws -> String {
        try [x].withUnsafeBufferPointer { try forest.margin($0) } < 0 ? "left" : "right"
    }

    func testComparisonAtTheThreshold() throws {
        XCTAssertEqual(try side(stump(0.5, .lessThan, .f64, missing: .nanDefault, defaultLeft: true), 0.5), "right")
        XCTAssertEqual(try side(stump(0.5, .lessEqual, .f64, missing: .nanDefault, defaultLeft: true), 0.5), "left")
        XCTAssertEqual(try side(stump(0.5, .lessThan, .f64, missing: .nanDefault, defaultLeft: true), 0.5.nextDown), "left")
        // -0 equals +0.
        XCTAssertEqual(try side(stump(0, .lessThan, .f64, missing: .nanDefault, defaultLeft: true), -0.0), "right")
    }

    func testFloat32PrecisionRoundsInputAndThreshold() throws {
        // 0.1 and its float64 neighbour above round to the same float32: equal in f32.
        let x = 0.1.nextUp
        XCTAssertEqual(Float(x), Float(0.1))
        XCTAssertEqual(try side(stump(0.1, .lessEqual, .f64, missing: .nanDefault, defaultLeft: true), x), "right")
        XCTAssertEqual(try side(stump(0.1, .lessEqual, .f32, missing: .nanDefault, defaultLeft: true), x), "left")
    }

    func testMissingRules() throws {
        for defaultLeft in [true, false] {
            let expected = defaultLeft ? "left" : "right"
            let nan = try stump(0.5, .lessThan, .f64, missing: .nanDefault, defaultLeft: defaultLeft)
            XCTAssertEqual(try side(nan, .nan), expected)
            XCTAssertEqual(try side(nan, 1e-36), "left", "near-zero is an ordinary value under NAN_DEFAULT")
            let zero = try stump(0.5, .lessThan, .f64, missing: .zeroDefault, defaultLeft: defaultLeft)
            XCTAssertEqual(try side(zero, .nan), expected)
            XCTAssertEqual(try side(zero, 1e-36), expected)
            XCTAssertEqual(try side(zero, -RandomTrees.k), expected)
            XCTAssertEqual(try side(zero, RandomTrees.k.nextUp), "left", "just above the zero band is a value")
        }
        // MISSING_NONE compares NaN as 0.0 whatever the default says.
        XCTAssertEqual(try side(stump(0.5, .lessThan, .f64, missing: .none, defaultLeft: false), .nan), "left")
        XCTAssertEqual(try side(stump(-0.5, .lessThan, .f64, missing: .none, defaultLeft: true), .nan), "right")
        XCTAssertEqual(try side(stump(0, .lessEqual, .f64, missing: .none, defaultLeft: false), .nan), "left")
        XCTAssertEqual(try side(stump(0, .lessThan, .f64, missing: .none, defaultLeft: true), .nan), "right")
    }

    func testFloat32SumsInFloat32() throws {
        // 1 + 2^-30 is 1 in float32 but not in float64.
        let tiny = 1.0 / Double(1 << 30)
        let leaf = TreeDefinition(splitFeature: [0], threshold: [0], leftChild: [-1], rightChild: [-1],
                                  defaultLeft: [false], missing: [.nanDefault], leafValue: [tiny])
        for (precision, expected) in [(ThresholdPrecision.f32, 1.0), (.f64, 1 + 2 * tiny)] {
            let forest = try TreeForest(TreeEnsembleDefinition(numFeatures: 1, trees: [leaf, leaf], baseScore: 1,
                                                               link: .identity, comparison: .lessThan,
                                                               precision: precision, source: .native), context: "sum")
            XCTAssertEqual(try [0.0].withUnsafeBufferPointer { try forest.margin($0) }, expected)
        }
    }

    func testRowsShorterThanTheEnsembleAreRefused() throws {
        let forest = try stump(0.5, .lessThan, .f64, missing: .nanDefault, defaultLeft: true)
        XCTAssertThrowsError(try [Double]().withUnsafeBufferPointer { try forest.margin($0) }) { error in
            XCTAssertEqual((error as? ModelcError)?.message, "a row needs 1 values, got 0")
        }
    }
}
