import Foundation
import XCTest

@testable import ModelcTraining

final class GBDTLossTests: XCTestCase {
    /// Gradient and hessian against central finite differences of the loss itself.
    func testDerivativesMatchFiniteDifferences() {
        let eps = 1e-4
        for label in [false, true] {
            for m in [-8.0, -2.5, -0.3, 0, 0.7, 3.1, 9] {
                let (g, h) = LogisticLoss.derivatives(label: label, margin: m)
                let loss = { LogisticLoss.loss(label: label, margin: $0) }
                let dg = (loss(m + eps) - loss(m - eps)) / (2 * eps)
                let dh = (loss(m + eps) - 2 * loss(m) + loss(m - eps)) / (eps * eps)
                XCTAssertEqual(g, dg, accuracy: 1e-8, "gradient at \(m), label \(label)")
                XCTAssertEqual(h, dh, accuracy: 1e-5, "hessian at \(m), label \(label)")
            }
        }
    }

    func testLossMatchesTheTextbookFormulaAndNeverOverflows() {
        // -log(sigmoid(m)) = log1p(e^-m) and -log(1 - sigmoid(m)) = log1p(e^m), through Foundation.
        for m in [-20.0, -1, 0, 0.5, 20] {
            XCTAssertEqual(LogisticLoss.loss(label: true, margin: m), log1p(exp(-m)), accuracy: 1e-12)
            XCTAssertEqual(LogisticLoss.loss(label: false, margin: m), log1p(exp(m)), accuracy: 1e-12)
        }
        XCTAssertEqual(LogisticLoss.loss(label: false, margin: 1_000), 1_000)
        XCTAssertEqual(LogisticLoss.loss(label: true, margin: -1_000), 1_000)
        XCTAssertEqual(LogisticLoss.logit(0.25), log(1.0 / 3), accuracy: 1e-15)
    }
}
