import Foundation
import ModelcRuntime
import XCTest

/// Spec.md §4.9: the two calibration maps, against plain references written here (a linear scan
/// for the isotonic interpolation, glibc's `log` and `exp` for Platt scaling).
final class CalibratorTests: XCTestCase {
    /// np.interp's rule, by a scan over the knots: clamp outside, linear inside.
    private func interp(_ p: Double, _ x: [Double], _ y: [Double]) -> Double {
        if p <= x[0] { return y[0] }
        for i in 1..<x.count where p <= x[i] {
            return y[i - 1] + (p - x[i - 1]) * (y[i] - y[i - 1]) / (x[i] - x[i - 1])
        }
        return y[y.count - 1]
    }

    func testIsotonicInterpolatesBetweenKnotsAndClampsOutside() {
        let x = [0.05, 0.1, 0.3, 0.31, 0.6, 0.9], y = [0.0, 0.02, 0.2, 0.2, 0.55, 1.0]
        let c = Calibrator.isotonic(x: x, y: y)
        XCTAssertEqual(c.apply(0), 0)
        XCTAssertEqual(c.apply(1), 1)
        for k in x.indices { XCTAssertEqual(c.apply(x[k]), y[k], "at knot \(k)") }
        var g = SystemRandomNumberGenerator()
        for _ in 0..<10_000 {
            let p = Double.random(in: 0...1, using: &g)
            XCTAssertEqual(c.apply(p), interp(p, x, y), "p = \(p)")
        }
        XCTAssertTrue(c.apply(.nan).isNaN)
        XCTAssertEqual(Calibrator.isotonic(x: [0.4], y: [0.3]).apply(0.9), 0.3, "one knot: a constant")
    }

    func testPlattMatchesTheLogisticOfTheLogit() {
        let c = Calibrator.platt(a: 1.37, b: -0.42)
        for p in stride(from: 0.001, to: 1.0, by: 0.0137) {
            let expected = 1 / (1 + Foundation.exp(-(1.37 * Foundation.log(p / (1 - p)) - 0.42)))
            XCTAssertEqual(c.apply(p), expected, accuracy: 4 * expected.ulp, "p = \(p)")
        }
        XCTAssertTrue(c.apply(0).isFinite && c.apply(0) > 0, "0 is clamped to 1e-12 before the logit")
        XCTAssertTrue(c.apply(1).isFinite && c.apply(1) <= 1)
        XCTAssertEqual(Calibrator.platt(a: 0, b: 0).apply(0.9), 0.5)
    }

    func testMapsThatAreNotMonotoneProbabilityMapsAreRefused() {
        let bad: [(Calibrator, String)] = [
            (.isotonic(x: [0.1, 0.1], y: [0.1, 0.2]), "increase strictly"),
            (.isotonic(x: [0.1, 0.2], y: [0.3, 0.2]), "must not decrease"),
            (.isotonic(x: [0.1, 1.2], y: [0.1, 0.2]), "outside [0, 1]"),
            (.isotonic(x: [0.1], y: []), "as many y as x"),
            (.isotonic(x: [], y: []), "at least one"),
            (.isotonic(x: [0.1, .nan], y: [0.1, 0.2]), "outside [0, 1]"),
            (.platt(a: -1, b: 0), "a >= 0"),
            (.platt(a: 1, b: .infinity), "finite b"),
        ]
        for (c, message) in bad {
            XCTAssertThrowsError(try c.validate(component: "long_trees"), "\(c)") { e in
                let m = "\(e)"
                XCTAssertTrue(m.contains("long_trees") && m.contains(message), m)
            }
        }
        XCTAssertNoThrow(try Calibrator.isotonic(x: [0, 0.5, 1], y: [0, 0.5, 0.5]).validate(component: "c"))
    }
}
