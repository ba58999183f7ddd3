import Foundation
import ModelcRuntime
@testable import ModelcTraining
import XCTest

/// The calibration fits against scikit-learn on the same rows (Fixtures/calibration.json, written
/// by Tools/fixtures/calibration.py): isotonic regression's knots, and Platt scaling as the
/// unregularised logistic regression of the labels on logit(p).
final class CalibrationFitTests: XCTestCase {
    struct Case: Decodable {
        let name: String
        let p: [Double]
        let y: [Int]
        let isotonic_x: [Double]
        let isotonic_y: [Double]
        let platt_a: Double
        let platt_b: Double
    }

    struct Fixture: Decodable { let cases: [Case] }

    private func cases() throws -> [Case] {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/calibration.json")
        return try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: file)).cases
    }

    func testIsotonicKnotsAreScikitLearns() throws {
        for c in try cases() {
            let fitted = try CalibrationFit.fit(.isotonic, probabilities: c.p, labels: c.y.map { $0 == 1 }, what: c.name)
            guard case .isotonic(let x, let y) = fitted else { return XCTFail("\(c.name): not isotonic") }
            XCTAssertEqual(x, c.isotonic_x, c.name)
            XCTAssertEqual(y.count, c.isotonic_y.count, c.name)
            for (a, b) in zip(y, c.isotonic_y) { XCTAssertEqual(a, b, accuracy: 1e-12, c.name) }
            XCTAssertNoThrow(try fitted!.validate(component: c.name))
        }
    }

    func testPlattScalingIsScikitLearnsLogisticRegression() throws {
        for c in try cases() {
            let fitted = try CalibrationFit.fit(.platt, probabilities: c.p, labels: c.y.map { $0 == 1 }, what: c.name)
            guard case .platt(let a, let b) = fitted else { return XCTFail("\(c.name): not Platt") }
            XCTAssertEqual(a, c.platt_a, accuracy: 1e-6, c.name)
            XCTAssertEqual(b, c.platt_b, accuracy: 1e-6, c.name)
        }
    }

    func testABackwardsComponentGetsTheBaseRateNotANegativeSlope() throws {
        let p = (0..<200).map { Double($0) / 200 }
        let y = p.map { $0 < 0.3 }  // higher p, fewer positives
        guard case .platt(let a, let b) = try CalibrationFit.fit(.platt, probabilities: p, labels: y, what: "backwards") else { return XCTFail() }
        XCTAssertEqual(a, 0)
        XCTAssertEqual(DMath.sigmoid(b), 0.3, accuracy: 1e-12)
    }

    func testTooFewRowsOrOneClassIsAClearError() {
        XCTAssertThrowsError(try CalibrationFit.fit(.isotonic, probabilities: [0.2, 0.4], labels: [true, false], what: "window 1: calibrating 'long'")) {
            XCTAssertTrue("\($0)".contains("window 1: calibrating 'long': calibration needs at least 50 rows"), "\($0)")
        }
        XCTAssertThrowsError(try CalibrationFit.fit(.platt, probabilities: Array(repeating: 0.2, count: 60), labels: Array(repeating: false, count: 60), what: "x"))
        XCTAssertNil(try CalibrationFit.fit(.none, probabilities: [], labels: [], what: "x"))
    }
}
