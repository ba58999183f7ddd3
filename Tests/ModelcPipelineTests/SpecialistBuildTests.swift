import Foundation
import ModelcFormat
@testable import ModelcPipeline
import ModelcRuntime
import XCTest

/// A default (format 1.1) build: tree and network specialists per direction, each calibrated,
/// the blend fitted on the out-of-fold rows, the plain reference in the card.
final class SpecialistBuildTests: XCTestCase {
    func testDefaultBuildWritesCalibratedSpecialistsAFittedPolicyAndTheReference() throws {
        let (result, dir) = try BuildPipelineTests.build(BuildPipelineTests.specialistConfig() + "\nprecision: int8\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = result.model
        XCTAssertEqual(model.components.map(\.name), ["long_trees", "short_trees", "long", "short"])
        XCTAssertEqual(model.components.map(\.role), [.roleLong, .roleShort, .roleLong, .roleShort])
        for c in model.components { XCTAssertTrue(c.hasCalibrator, "\(c.name) carries its calibrator") }
        XCTAssertEqual(model.blend.mode, .blendSpecialists)
        XCTAssertEqual(Set(model.blend.longInputs.map(\.component)).subtracting(["long_trees", "long"]), [])
        let header = try Artifact(bytes: result.bytes).header
        XCTAssertTrue(header.requiredCapabilities.contains("calibration"))
        XCTAssertTrue(header.requiredCapabilities.contains("specialist-blend"))
        XCTAssertEqual(header.formatMinor, 1)

        let card = model.card
        func metric(_ component: String, _ name: String) -> Double? {
            card.overall.first { $0.component == component && $0.name == name }?.value
        }
        for target in ["long", "short"] {
            for m in ["majority", "reference", "trees", "network", "blend"] {
                XCTAssertNotNil(metric("holdout/\(target)/\(m)", "brier"), "holdout/\(target)/\(m)")
                XCTAssertNotNil(metric("\(target)/\(m)", "brier_skill"), "\(target)/\(m)")
            }
            XCTAssertNotNil(metric("holdout/\(target)/reference", "auc"))
        }
        XCTAssertEqual(metric("holdout/long/majority", "brier_skill"), 0, "the constant's skill against itself")
        XCTAssertNotNil(metric("holdout/backtest/buy_and_hold", "total_return"))
        XCTAssertEqual(metric("holdout/backtest/flat", "total_return"), 0)
        XCTAssertTrue(card.headline.hasPrefix("Beats the plain reference") || card.headline.hasPrefix("Does NOT beat the plain reference"),
                      card.headline)
        XCTAssertFalse(card.policyFit.isEmpty)
        XCTAssertTrue(card.policyFit.contains(where: \.chosen), "with no evidence bar the fit trades on this span")
        XCTAssertGreaterThan(card.backtest.trades, 0, "and on its holdout")
        XCTAssertTrue(card.calibration.contains { $0.component == "long raw" })
        XCTAssertTrue(card.calibration.contains { $0.component == "long" })
        // int8 against f32 is measured before either is calibrated: the same map follows both.
        XCTAssertEqual(Set(card.fidelity.map(\.component)), ["long", "short"])
        for f in card.fidelity { XCTAssertLessThan(f.maxAbsDelta, 0.05, f.component) }

        // The card's holdout backtest is what the runtime does with the written artifact
        // (calibrators, fitted blend, holding) replaying the file, as `modelc backtest` does.
        XCTAssertNotNil(try ModelLoader.load(result.bytes).components[0].calibrator)
        XCTAssertEqual(try BuildPipelineTests.replayedHoldout(result.bytes, card.backtest), card.backtest)
    }

    /// With the default bar (95 % over every candidate tried), the few trades of this short span
    /// prove nothing: the policy that traded without the bar (above) abstains, and the card says why.
    func testThePolicyTradesOnlyOnTradesThatClearTheEvidenceBar() throws {
        let (result, dir) = try BuildPipelineTests.build(BuildPipelineTests.specialistConfig(evidence: true) + "\nprecision: f32\n")
        defer { try? FileManager.default.removeItem(at: dir) }
        let card = result.model.card, blend = result.model.blend
        let bar = TradeEvidence.bar(confidence: 0.95, candidates: card.policyFit.count)
        for p in card.policyFit where p.chosen { XCTAssertGreaterThanOrEqual(p.tStat, bar, "\(p.direction) at entry \(p.entry)") }
        XCTAssertGreaterThan(card.policyFit.map(\.trades).max() ?? 0, 2, "candidates traded out of fold")
        XCTAssertEqual(blend.longEntry, 2, "LONG abstains")
        XCTAssertEqual(blend.shortEntry, 2, "SHORT abstains")
        XCTAssertTrue(card.headline.contains("Policy: does not trade"), card.headline)
        XCTAssertTrue(card.notes.contains("% confidence over the \(card.policyFit.count) candidates tried"), card.notes)
        XCTAssertEqual(card.backtest.trades, 0)
    }
}
