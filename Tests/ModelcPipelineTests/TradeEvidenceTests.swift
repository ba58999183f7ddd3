@testable import ModelcPipeline
import XCTest

/// The policy fit's evidence bar against SciPy (`scipy.stats.norm.ppf`, `scipy.stats.ttest_1samp`).
final class TradeEvidenceTests: XCTestCase {
    func testNormalQuantileMatchesSciPy() {
        for (p, expected) in [(0.975, 1.959963984540054), (1 - 0.05 / 72, 3.1969502291312546),
                              (1 - 0.01 / 10, 3.090232306167813), (0.2, -0.8416212335729142)] {
            XCTAssertEqual(TradeEvidence.normalQuantile(p), expected, accuracy: 1e-12, "p = \(p)")
        }
    }

    /// One-sided Bonferroni: 95 % over 72 candidates is Φ⁻¹(1 − 0.05/72); confidence 0 is no bar.
    func testBarAllowsForEveryCandidateTried() {
        XCTAssertEqual(TradeEvidence.bar(confidence: 0.95, candidates: 72), 3.1969502291312546, accuracy: 1e-12)
        XCTAssertEqual(TradeEvidence.bar(confidence: 0.95, candidates: 1), 1.6448536269514722, accuracy: 1e-12)
        XCTAssertEqual(TradeEvidence.bar(confidence: 0, candidates: 72), -.infinity)
    }

    func testTStatisticMatchesSciPy() {
        let r = [0.012, -0.004, 0.007, 0.0, 0.021, -0.013, 0.009]
        let (mean, t) = TradeEvidence.tStatistic(r)
        XCTAssertEqual(mean, r.reduce(0, +) / 7, accuracy: 1e-15)
        XCTAssertEqual(t, 1.0791286182275894, accuracy: 1e-12)
        XCTAssertEqual(TradeEvidence.tStatistic([0.01]).t, 0, "one trade has no spread")
        XCTAssertEqual(TradeEvidence.tStatistic([]).mean, 0)
    }
}
