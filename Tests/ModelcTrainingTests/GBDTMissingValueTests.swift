import XCTest

@testable import ModelcTraining

/// Missing values get a learned default direction.
final class GBDTMissingValueTests: XCTestCase {
    /// Feature 0 is uniform on [0, 1) and the label is x0 >= 0.5 (with 5 % noise), but 30 % of
    /// rows have x0 missing; those are positive when `nanPositive`. Feature 1 is noise.
    static func data(nanPositive: Bool, seed: UInt64) throws -> GBDTDataset {
        var s = GBDTFixtures.Stream(state: seed)
        var x: [Float] = []
        var y: [Bool] = []
        for _ in 0..<3_000 {
            let v = s.uniform()
            let missing = s.uniform() < 0.3
            var label = missing ? nanPositive : v >= 0.5
            if s.uniform() < 0.05 { label.toggle() }
            x += [missing ? .nan : Float(v), Float(s.uniform())]
            y.append(label)
        }
        return try GBDTDataset(features: x, columns: 2, labels: y)
    }

    func testNaNJoinsTheSideItsLabelsBelongTo() throws {
        var p = GBDTParameters()
        p.numTrees = 1
        p.growth = .depthWise(maxDepth: 1)
        for nanPositive in [true, false] {
            let tree = try GBDTTrainer.train(try Self.data(nanPositive: nanPositive, seed: 21), parameters: p).forest.trees[0]
            XCTAssertEqual(tree.splitFeature[0], 0)
            XCTAssertEqual(tree.threshold[0], 0.5, accuracy: 0.02)
            // Right (x >= t) is the positive side: NaN goes right exactly when NaN rows are positive.
            XCTAssertEqual(tree.defaultLeft[0], !nanPositive, "nanPositive \(nanPositive)")
            let nanLeaf = GBDTFixtures.leaf(tree, [.nan, 0.5])
            XCTAssertEqual(nanLeaf > 0, nanPositive)
        }
    }

    func testMissingnessAloneIsLearnedAsNaNOnlySplit() throws {
        // The label is only "x0 is missing": the best split sends NaN one way and every value
        // the other (threshold -infinity, NaN left).
        var s = GBDTFixtures.Stream(state: 22)
        var x: [Float] = []
        var y: [Bool] = []
        for _ in 0..<2_000 {
            let missing = s.uniform() < 0.4
            x += [missing ? .nan : Float(s.normal()), Float(s.normal())]
            y.append(missing != (s.uniform() < 0.05))
        }
        var p = GBDTParameters()
        p.numTrees = 1
        p.growth = .depthWise(maxDepth: 1)
        let tree = try GBDTTrainer.train(try GBDTDataset(features: x, columns: 2, labels: y), parameters: p).forest.trees[0]
        XCTAssertEqual(tree.splitFeature[0], 0)
        XCTAssertEqual(tree.threshold[0], -.infinity)
        XCTAssertTrue(tree.defaultLeft[0])
        XCTAssertGreaterThan(GBDTFixtures.leaf(tree, [.nan, 0]), 0)
        XCTAssertLessThan(GBDTFixtures.leaf(tree, [-1e30, 0]), 0)
    }

    func testUnseenNaNGoesToTheHeavierChild() throws {
        // No NaN in training: the default direction is the child with the larger hessian sum
        // (here the one with more rows: 80 % of x0 is below the cut).
        var s = GBDTFixtures.Stream(state: 23)
        var x: [Float] = []
        var y: [Bool] = []
        for _ in 0..<2_000 {
            let v = s.uniform()
            x.append(Float(v))
            y.append(v >= 0.8)
        }
        var p = GBDTParameters()
        p.numTrees = 1
        p.growth = .depthWise(maxDepth: 1)
        let tree = try GBDTTrainer.train(try GBDTDataset(features: x, columns: 1, labels: y), parameters: p).forest.trees[0]
        XCTAssertEqual(tree.threshold[0], 0.8, accuracy: 0.01)
        XCTAssertTrue(tree.defaultLeft[0])
    }
}
