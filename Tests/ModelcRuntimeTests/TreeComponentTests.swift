import Foundation
@testable import ModelcRuntime
import XCTest

/// How a component combines its tree members.
final class TreeComponentTests: XCTestCase {
    /// An ensemble of one stump on feature 0 (threshold 0) with the given leaves.
    private func forest(_ left: Double, _ right: Double, link: TreeLink = .logistic,
                        precision: ThresholdPrecision = .f64, features: Int = 2) throws -> TreeForest {
        let tree = TreeDefinition(splitFeature: [0, 0, 0], threshold: [0, 0, 0], leftChild: [1, -1, -1],
                                  rightChild: [2, -1, -1], defaultLeft: [true, false, false],
                                  missing: [.nanDefault, .nanDefault, .nanDefault], leafValue: [0, left, right])
        return try TreeForest(TreeEnsembleDefinition(numFeatures: features, trees: [tree], baseScore: 0.25, link: link,
                                                     comparison: .lessThan, precision: precision, source: .native),
                              context: "test")
    }

    private func component(_ forests: [TreeForest], weights: [Double], combine: MemberCombine,
                           inputs: [Int] = []) -> ComponentDefinition {
        ComponentDefinition(name: "direction", role: .direction, inputFeatures: inputs, window: 1, scaler: nil,
                            members: zip(forests, weights).map { MemberDefinition(weight: $1, kind: .trees($0)) },
                            combine: combine)
    }

    private func sigmoid(_ x: Double) -> Double { 1 / (1 + Foundation.exp(-x)) }

    func testWeightedMeanOfMarginsThenTheLink() throws {
        let c = component([try forest(-1, 2), try forest(0.5, -3)], weights: [1, 3], combine: .meanMargin)
        try c.validateTreeMembers()
        let score = try [1.0, 0].withUnsafeBufferPointer { try c.scoreTrees($0) }
        // Members: 0.25 + 2 and 0.25 - 3; shares 1/4 and 3/4.
        let margin = 0.25 * 2.25 + 0.75 * -2.75
        XCTAssertEqual(score.margin, margin)
        XCTAssertEqual(score.probability, sigmoid(margin), accuracy: 4 * sigmoid(margin).ulp)
    }

    func testWeightedMeanOfProbabilities() throws {
        let c = component([try forest(-1, 2), try forest(0.5, -3)], weights: [2, 2], combine: .meanProbability)
        let score = try [-1.0, 0].withUnsafeBufferPointer { try c.scoreTrees($0) }
        let expected = 0.5 * sigmoid(-0.75) + 0.5 * sigmoid(0.75)
        XCTAssertEqual(score.probability, expected, accuracy: 4 * expected.ulp)
    }

    func testOneMemberPassesItsMarginThroughWhateverItsWeight() throws {
        let f = try forest(-1.1, 2.3, precision: .f32)
        let c = component([f], weights: [0.3], combine: .meanProbability)
        for row in [[1.0, 0], [-1.0, 0], [.nan, 0]] {
            let alone = try row.withUnsafeBufferPointer { try f.margin($0) }
            let score = try row.withUnsafeBufferPointer { try c.scoreTrees($0) }
            XCTAssertEqual(score.margin.bitPattern, alone.bitPattern)
        }
    }

    func testIdentityLinkGivesTheMargin() throws {
        let c = component([try forest(-1, 2, link: .identity)], weights: [1], combine: .meanMargin)
        let score = try [1.0, 0].withUnsafeBufferPointer { try c.scoreTrees($0) }
        XCTAssertEqual(score.probability, 2.25)
    }

    func testBatchEqualsSingleRows() throws {
        let c = component([try forest(-1, 2), try forest(0.5, -3, precision: .f32)], weights: [1, 2], combine: .meanProbability)
        let rows: [Double] = [1, 0, -1, 0, .nan, 0, 0, 0]
        let batch = try rows.withUnsafeBufferPointer { try c.scoreTrees(rows: $0, rowCount: 4) }
        for r in 0..<4 {
            let single = try rows[2 * r..<2 * r + 2].withUnsafeBufferPointer { try c.scoreTrees($0) }
            XCTAssertEqual(batch[r], single)
        }
        XCTAssertThrowsError(try rows.withUnsafeBufferPointer { try c.scoreTrees(rows: $0, rowCount: 3) }) { error in
            XCTAssertEqual((error as? ModelcError)?.message,
                           "component 'direction': 3 rows of 2 values need 6 values, got 8")
        }
    }

    func testInvalidCombinationsAreRefused() throws {
        func message(_ c: ComponentDefinition) -> String? {
            do { try c.validate(); return nil } catch { return error.message }
        }
        let a = try forest(-1, 2), b = try forest(0.5, -3, link: .identity), wide = try forest(1, 2, features: 3)
        XCTAssertEqual(message(component([a, a], weights: [1, -1], combine: .meanMargin)),
                       "component 'direction', member 1: weight must be finite and >= 0")
        XCTAssertEqual(message(component([a, a], weights: [0, 0], combine: .meanMargin)),
                       "component 'direction': member weights must sum to a finite positive number")
        XCTAssertEqual(message(component([a, b], weights: [1, 1], combine: .meanMargin)),
                       "component 'direction', member 1: COMBINE_MEAN_MARGIN needs one link for all members")
        XCTAssertNil(message(component([a, b], weights: [1, 1], combine: .meanProbability)))
        XCTAssertEqual(message(component([a, wide], weights: [1, 1], combine: .meanMargin)),
                       "component 'direction', member 1: the ensemble reads 3 features, the component supplies 2")
        XCTAssertEqual(message(component([a], weights: [1], combine: .meanMargin, inputs: [0, 1, 2])),
                       "component 'direction', member 0: the ensemble reads 2 features, the component supplies 3")
    }
}
