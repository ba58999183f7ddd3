import CModelcKernels
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import XCTest

/// `mc_score_inputs` on a composed tree component (the C ABI path that sends rows straight to the
/// tree kernel): one call over all 1000 fixture rows and one call per row give the same bits, and
/// both are XGBoost's own probabilities.
final class TreeScoreInputsTests: XCTestCase {
    func testBatchAndSingleRowsThroughTheCABIMatchXGBoost() throws {
        let imported = try TreeArtifact.model(name: "imported", members: [.init(try TreeFixtures.imported(.xgboost, "xgb_model.json"))])
        let composed = try ArtifactComposer.compose(
            name: "dual", version: "0.1.0",
            direction: .init(model: imported, file: "xgb.modelc", features: FeatureCatalog.base + FeatureCatalog.crash),
            long: nil, short: nil)
        let bytes = try ArtifactWriter.encode(composed)
        var model: OpaquePointer?
        var err = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(bytes.withUnsafeBufferPointer { mc_model_open_bytes($0.baseAddress, $0.count, &model, &err, err.count) }, 0)
        defer { mc_model_free(model) }
        let component = "direction".withCString { mc_component_index(model, $0) }
        XCTAssertEqual(mc_component_input_count(model, component), 23)

        let rows = try TreeFixtures.npy("X_test.npy").doubles()
        let expected = try TreeFixtures.npy("xgb_prob.npy").doubles()
        var batch = [Double](repeating: .nan, count: 1000)
        XCTAssertEqual(mc_score_inputs(model, component, rows, 1000, &batch, &err, err.count), 0)
        for r in 0..<1000 {
            var p = Double.nan
            XCTAssertEqual(rows.withUnsafeBufferPointer { mc_score_inputs(model, component, $0.baseAddress! + 23 * r, 1, &p, &err, err.count) }, 0)
            XCTAssertEqual(p.bitPattern, batch[r].bitPattern, "row \(r)")
            XCTAssertEqual(p, expected[r], accuracy: 2 * Double(Float(expected[r]).ulp), "row \(r)")
        }
    }
}
