import Foundation
import ModelcRuntime
import XCTest

@testable import ModelcTraining

/// BinaryMetrics (Sources/ModelcTraining/Metrics), which early stopping and the model card use.
final class GBDTMetricsTests: XCTestCase {
    func testAUCWithTiesEqualsPairCounting() throws {
        var s = GBDTFixtures.Stream(state: 51)
        for _ in 0..<5 {
            // Scores on a coarse grid: many ties across and within classes.
            let labels = (0..<300).map { _ in s.uniform() < 0.4 }
            let scores = labels.map { y in Double(Int((s.uniform() + (y ? 0.3 : 0)) * 6)) }
            XCTAssertEqual(
                try BinaryMetrics.rocAUC(labels: labels, scores: scores), GBDTFixtures.pairAUC(labels, scores), accuracy: 1e-12)
        }
    }

    func testLargeInputsSortedByRadixGiveTheSameAUC() throws {
        // 6,000 rows take the radix path; rounded scores (with ±0 and negatives) make ties.
        var s = GBDTFixtures.Stream(state: 52)
        let labels = (0..<6_000).map { _ in s.uniform() < 0.3 }
        var scores = labels.map { y in ((s.normal() + (y ? 0.8 : 0)) * 20).rounded() / 20 }
        scores[0] = -0.0
        scores[1] = 0
        let order = BinaryMetrics.ascending(scores)
        XCTAssertEqual(order.map { scores[$0] }, scores.sorted())
        XCTAssertEqual(try BinaryMetrics.rocAUC(labels: labels, scores: scores), GBDTFixtures.pairAUC(labels, scores), accuracy: 1e-12)
    }

    func testAUCKnownValues() throws {
        XCTAssertEqual(try BinaryMetrics.rocAUC(labels: [false, false, true, true], scores: [0.1, 0.4, 0.35, 0.8]), 0.75)
        XCTAssertEqual(try BinaryMetrics.rocAUC(labels: [true, false], scores: [1, 1]), 0.5)
        XCTAssertEqual(try BinaryMetrics.rocAUC(labels: [true, false, true], scores: [3, 2, 1]), 0.5)
    }

    func testLogLossKnownValueAndClipping() throws {
        // -(ln 0.8 + ln 0.6) / 2
        XCTAssertEqual(
            try BinaryMetrics.logLoss(labels: [true, false], probabilities: [0.8, 0.4]), -(log(0.8) + log(0.6)) / 2, accuracy: 1e-15)
        XCTAssertEqual(try BinaryMetrics.logLoss(labels: [true], probabilities: [0]), -log(1e-15), accuracy: 1e-9)
    }

    func testBadInputIsNamed() {
        XCTAssertThrowsError(try BinaryMetrics.rocAUC(labels: [true, true], scores: [1, 2])) {
            XCTAssertTrue(($0 as! ModelcError).message.contains("both classes"))
        }
        XCTAssertThrowsError(try BinaryMetrics.rocAUC(labels: [true, false], scores: [1])) {
            XCTAssertTrue(($0 as! ModelcError).message.contains("2 labels but 1"))
        }
        XCTAssertThrowsError(try BinaryMetrics.rocAUC(labels: [true, false], scores: [1, .nan])) {
            XCTAssertTrue(($0 as! ModelcError).message.contains("row 1"))
        }
        XCTAssertThrowsError(try BinaryMetrics.logLoss(labels: [true, false], probabilities: [0.5, 1.5])) {
            XCTAssertTrue(($0 as! ModelcError).message.contains("row 1"))
        }
    }
}
