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

    /// An imported model (`modelc import`, no feature spec) declares its input columns, by the
    /// names its file gives or the library's defaults, and scores through the C ABI as the
    /// library itself did (before, its input count was 0, its warm-up -1, and scoring failed).
    func testImportedModelsDeclareTheirInputsAndScoreThroughTheCABI() throws {
        for (library, file, probabilities, names) in [
            (TreeLibrary.xgboost, "xgb_model.json", "xgb_prob.npy", (0..<23).map { "f\($0)" }),
            (.lightgbm, "lgb_model.txt", "lgb_prob.npy", (0..<23).map { "Column_\($0)" }),
        ] {
            let imported = try TreeArtifact.model(name: "imported", members: [.init(try TreeFixtures.imported(library, file))])
            let bytes = try ArtifactWriter.encode(imported)
            var model: OpaquePointer?
            var err = [CChar](repeating: 0, count: 256)
            XCTAssertEqual(bytes.withUnsafeBufferPointer { mc_model_open_bytes($0.baseAddress, $0.count, &model, &err, err.count) }, 0)
            defer { mc_model_free(model) }
            XCTAssertEqual(mc_model_feature_count(model), 0, file)
            XCTAssertEqual(mc_model_warmup_candles(model), 0, file)
            XCTAssertEqual(mc_component_window(model, 0), 1, file)
            XCTAssertEqual(mc_component_input_count(model, 0), 23, file)
            XCTAssertEqual((0..<23).map { String(cString: mc_component_input_name(model, 0, $0)!) }, names, file)
            XCTAssertNil(mc_component_input_name(model, 0, 23))

            let rows = try TreeFixtures.npy("X_test.npy").doubles()
            let expected = try TreeFixtures.npy(probabilities).doubles()
            var scores = [Double](repeating: .nan, count: 1000)
            XCTAssertEqual(mc_score_inputs(model, 0, rows, 1000, &scores, &err, err.count), 0, String(cString: err))
            for r in 0..<1000 {
                XCTAssertEqual(scores[r], expected[r], accuracy: 2 * Double(Float(expected[r]).ulp), "\(file) row \(r)")
            }
        }
    }

    /// Members whose files name their columns differently are refused; a library's default
    /// names agree with any, and the artifact takes the names a file gave.
    func testMembersMustNameTheSameColumns() throws {
        var lightgbm = try TreeFixtures.imported(.lightgbm, "lgb_model.txt")
        let xgboost = try TreeFixtures.imported(.xgboost, "xgb_model.json")
        lightgbm.featureNames = xgboost.featureNames
        lightgbm.featureNames[4] = "rsi_14"
        lightgbm.namesAreDefaults = false
        let model = try TreeArtifact.model(name: "both", members: [.init(xgboost), .init(lightgbm)])
        XCTAssertEqual(model.components[0].input.names[4], "rsi_14")
        var renamed = xgboost
        renamed.featureNames[4] = "atr_14"
        renamed.namesAreDefaults = false
        XCTAssertThrowsError(try TreeArtifact.model(name: "both", members: [.init(renamed), .init(lightgbm)])) { error in
            XCTAssertTrue("\(error)".contains("feature 4 is 'rsi_14', in \(renamed.file) 'atr_14'"), "\(error)")
        }
    }
}
