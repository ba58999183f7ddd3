import XCTest

@testable import ModelcTraining

/// Same data, parameters and seed: the same bits, whatever the thread count.
final class GBDTDeterminismTests: XCTestCase {
    /// Large enough that every parallel path runs: gradients, margins and root sums in
    /// 16,384-row blocks, block-wise partitions (nodes over 2,048 rows) and feature-parallel
    /// histograms and searches (nodes of 128 rows or more).
    static let data = GBDTFixtures.nonlinear(rows: 40_000, seed: 11)

    static func parameters(threads: Int, seed: UInt64) -> GBDTParameters {
        var p = GBDTParameters()
        p.numTrees = 3
        p.growth = .leafWise(numLeaves: 8)
        p.baggingFraction = 0.8
        p.featureFraction = 0.7
        p.threads = threads
        p.seed = seed
        return p
    }

    func testSameSeedTwiceAndOneVersusTwoThreadsGiveIdenticalForests() throws {
        let one = try GBDTTrainer.train(Self.data, parameters: Self.parameters(threads: 1, seed: 5))
        let two = try GBDTTrainer.train(Self.data, parameters: Self.parameters(threads: 2, seed: 5))
        let again = try GBDTTrainer.train(Self.data, parameters: Self.parameters(threads: 2, seed: 5))
        XCTAssertEqual(one.forest, two.forest)
        XCTAssertEqual(two.forest, again.forest)
        XCTAssertEqual(one.trainingMargins, two.trainingMargins)
        XCTAssertEqual(one.forest.trees.count, 3)
        // The seed is what varies the bagging and feature draws.
        let other = try GBDTTrainer.train(Self.data, parameters: Self.parameters(threads: 2, seed: 6))
        XCTAssertNotEqual(other.forest, one.forest)
    }

    func testDepthWiseWithThreeThreadsMatchesOneThread() throws {
        var p = Self.parameters(threads: 1, seed: 1)
        p.growth = .depthWise(maxDepth: 3)
        p.numTrees = 2
        let one = try GBDTTrainer.train(Self.data, parameters: p).forest
        p.threads = 3
        XCTAssertEqual(try GBDTTrainer.train(Self.data, parameters: p).forest, one)
    }
}
