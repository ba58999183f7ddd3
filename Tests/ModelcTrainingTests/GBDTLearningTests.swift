import Foundation
import ModelcRuntime
import XCTest

@testable import ModelcTraining

/// Synthetic data and a reference predictor for the GBDT tests, written independently of the
/// trainer (own generator, recursive walk, float32 comparisons as the schema states).
enum GBDTFixtures {
    /// A 64-bit LCG (Knuth's MMIX constants): the tests' own pseudo-random stream.
    struct Stream {
        var state: UInt64
        mutating func uniform() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        mutating func normal() -> Double {  // Box–Muller
            let u = max(uniform(), 1e-300)
            return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * uniform())
        }
    }

    /// A nonlinear task no single split learns: inside a disc of radius 1 (in features 0, 1)
    /// XOR feature 2 positive, plus label noise; features 3... are noise; about 5 % of feature 5
    /// is NaN.
    static func nonlinear(rows: Int, columns: Int = 6, noise: Double = 0.05, seed: UInt64) -> GBDTDataset {
        precondition(columns >= 6)
        var s = Stream(state: seed)
        var x: [Float] = []
        var y: [Bool] = []
        for _ in 0..<rows {
            let row = (0..<columns).map { _ in s.normal() }
            let inside = row[0] * row[0] + row[1] * row[1] < 1
            var label = inside != (row[2] > 0)
            if s.uniform() < noise { label.toggle() }
            var floats = row.map { Float($0) }
            if s.uniform() < 0.05 { floats[5] = .nan }
            x += floats
            y.append(label)
        }
        return try! GBDTDataset(features: x, columns: columns, labels: y)
    }

    /// The reference walk: recursive, comparing as float32 (THRESHOLD_F32, SPLIT_LESS_THAN,
    /// MISSING_NAN_DEFAULT).
    static func leafNode(_ tree: TrainedTree, _ row: ArraySlice<Float>, node: Int = 0) -> Int {
        if tree.leftChild[node] == -1 {
            XCTAssertEqual(tree.rightChild[node], -1)
            return node
        }
        let x = row[row.startIndex + Int(tree.splitFeature[node])]
        let goLeft = x.isNaN ? tree.defaultLeft[node] : x < Float(tree.threshold[node])
        return leafNode(tree, row, node: Int(goLeft ? tree.leftChild[node] : tree.rightChild[node]))
    }

    static func leaf(_ tree: TrainedTree, _ row: ArraySlice<Float>) -> Double { tree.leafValue[leafNode(tree, row)] }

    static func row(_ data: GBDTDataset, _ r: Int) -> ArraySlice<Float> {
        data.features[(r * data.columns)..<((r + 1) * data.columns)]
    }

    static func margins(_ forest: TrainedForest, _ data: GBDTDataset) -> [Double] {
        (0..<data.rows).map { r in forest.trees.reduce(forest.baseScore) { $0 + leaf($1, row(data, r)) } }
    }

    /// AUC by counting ordered pairs, ties one half: O(P × N), a different route from the
    /// rank formula.
    static func pairAUC(_ labels: [Bool], _ scores: [Double]) -> Double {
        let pos = zip(labels, scores).filter { $0.0 }.map(\.1)
        let neg = zip(labels, scores).filter { !$0.0 }.map(\.1)
        var wins = 0.0
        for p in pos {
            for n in neg { wins += p > n ? 1 : (p == n ? 0.5 : 0) }
        }
        return wins / Double(pos.count * neg.count)
    }
}

final class GBDTLearningTests: XCTestCase {
    func testLearnsNonlinearTaskWithBothGrowthPolicies() throws {
        let train = GBDTFixtures.nonlinear(rows: 4_000, seed: 1)
        let test = GBDTFixtures.nonlinear(rows: 1_000, noise: 0, seed: 2)
        for growth in [GrowthPolicy.depthWise(maxDepth: 4), .leafWise(numLeaves: 15)] {
            var p = GBDTParameters()
            p.numTrees = 60
            p.learningRate = 0.3
            p.growth = growth
            p.minDataInLeaf = 5
            let forest = try GBDTTrainer.train(train, parameters: p).forest
            let auc = try BinaryMetrics.rocAUC(labels: test.labels, scores: try forest.margins(test.features))
            XCTAssertGreaterThan(auc, 0.97, "\(growth)")
        }
        // A single stump cannot do it: the task needs the interactions.
        var p = GBDTParameters()
        p.numTrees = 1
        p.growth = .depthWise(maxDepth: 1)
        let stump = try GBDTTrainer.train(train, parameters: p).forest
        XCTAssertLessThan(try BinaryMetrics.rocAUC(labels: test.labels, scores: try stump.margins(test.features)), 0.7)
    }

    func testPredictionsAgreeWithReferenceWalkAndTrainingMargins() throws {
        let train = GBDTFixtures.nonlinear(rows: 3_000, seed: 3)
        let test = GBDTFixtures.nonlinear(rows: 500, seed: 4)
        var p = GBDTParameters()
        p.numTrees = 20
        p.growth = .leafWise(numLeaves: 12, maxDepth: 5)
        p.minDataInLeaf = 3
        p.baggingFraction = 0.7
        p.featureFraction = 0.8
        let result = try GBDTTrainer.train(train, parameters: p)
        let forest = result.forest
        XCTAssertEqual(forest.trees.count, 20)
        // The forest's own predict and the reference walk agree bit for bit, on unseen rows.
        XCTAssertEqual(try forest.margins(test.features), GBDTFixtures.margins(forest, test))
        // The margins training computed in bin space (in-bag by leaf ranges, out-of-bag by bin
        // walks) equal the exported thresholds' predictions: bins and thresholds agree exactly.
        XCTAssertEqual(result.trainingMargins, GBDTFixtures.margins(forest, train))
        for tree in forest.trees {
            XCTAssertTrue(tree.nodeCount <= 2 * 12 - 1)
            for n in 0..<tree.nodeCount where tree.leftChild[n] >= 0 {
                XCTAssertGreaterThan(Int(tree.leftChild[n]), n, "children come after their parent")
                XCTAssertGreaterThan(Int(tree.rightChild[n]), n)
                XCTAssertEqual(tree.leafValue[n], 0)
                let t = tree.threshold[n]
                XCTAssertTrue(t == -.infinity || Double(Float(t)) == t, "threshold \(t) is a float32 value")
            }
        }
    }

    func testBaseScoreIsLogitOfWeightedPositiveRate() throws {
        let data = GBDTFixtures.nonlinear(rows: 800, seed: 5)
        let positives = Double(data.labels.filter { $0 }.count)
        let negatives = Double(data.rows) - positives
        var p = GBDTParameters()
        p.numTrees = 1
        p.positiveWeight = 3
        let forest = try GBDTTrainer.train(data, parameters: p).forest
        let rate = 3 * positives / (3 * positives + negatives)
        XCTAssertEqual(forest.baseScore, log(rate / (1 - rate)), accuracy: 1e-12)
    }

    func testClassWeightsEqualTheSameRowWeights() throws {
        let data = GBDTFixtures.nonlinear(rows: 1_500, seed: 6)
        var p = GBDTParameters()
        p.numTrees = 5
        p.growth = .depthWise(maxDepth: 3)
        p.positiveWeight = 2.5
        p.negativeWeight = 0.5
        let byClass = try GBDTTrainer.train(data, parameters: p).forest
        let rowWeights = data.labels.map { $0 ? 2.5 : 0.5 }
        let weighted = try GBDTDataset(features: data.features, columns: data.columns, labels: data.labels, weights: rowWeights)
        p.positiveWeight = 1
        p.negativeWeight = 1
        XCTAssertEqual(try GBDTTrainer.train(weighted, parameters: p).forest, byClass)
        // ... and they matter: unweighted training gives another forest.
        XCTAssertNotEqual(try GBDTTrainer.train(data, parameters: p).forest, byClass)
    }

    func testFeatureImportanceCountsTheSplitsAndRanksTheSignal() throws {
        // Feature 1 decides the label; features 0 and 2 are noise.
        var s = GBDTFixtures.Stream(state: 7)
        var x: [Float] = []
        var y: [Bool] = []
        for _ in 0..<2_000 {
            let row = [s.uniform(), s.uniform(), s.uniform()]
            x += row.map { Float($0) }
            y.append(row[1] + 0.1 * s.normal() > 0.5)
        }
        var p = GBDTParameters()
        p.numTrees = 10
        p.growth = .depthWise(maxDepth: 3)
        let forest = try GBDTTrainer.train(try GBDTDataset(features: x, columns: 3, labels: y), parameters: p).forest
        var splits = [0, 0, 0]
        for tree in forest.trees {
            for n in 0..<tree.nodeCount where tree.leftChild[n] >= 0 { splits[Int(tree.splitFeature[n])] += 1 }
        }
        XCTAssertEqual(forest.importance.splits, splits)
        XCTAssertEqual(forest.importance.gain.firstIndex(of: forest.importance.gain.max()!), 1)
        XCTAssertTrue(forest.importance.gain.allSatisfy { $0 >= 0 })
    }

    func testLeavesRespectMinDataInLeaf() throws {
        let data = GBDTFixtures.nonlinear(rows: 1_000, seed: 8)
        var p = GBDTParameters()
        p.numTrees = 3
        p.growth = .leafWise(numLeaves: 40)
        p.minDataInLeaf = 30
        let forest = try GBDTTrainer.train(data, parameters: p).forest
        for tree in forest.trees {
            var rowsPerLeaf: [Int: Int] = [:]
            for r in 0..<data.rows { rowsPerLeaf[GBDTFixtures.leafNode(tree, GBDTFixtures.row(data, r)), default: 0] += 1 }
            let leaves = (0..<tree.nodeCount).filter { tree.leftChild[$0] == -1 }
            XCTAssertGreaterThan(leaves.count, 4)
            XCTAssertEqual(Set(rowsPerLeaf.keys), Set(leaves), "every leaf holds training rows")
            XCTAssertTrue(rowsPerLeaf.values.allSatisfy { $0 >= 30 }, "\(rowsPerLeaf.values.sorted())")
        }
    }
}
