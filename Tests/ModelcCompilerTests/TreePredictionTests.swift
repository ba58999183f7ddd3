import Foundation
import ModelcCompiler
import ModelcFiles
import ModelcFormat
import ModelcRuntime
import XCTest

/// `modelc import` then `modelc predict`, through the functions the two commands call, with
/// files on disk in between, checked against the libraries' own outputs.
final class TreePredictionTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "modelc-trees-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(atPath: directory)
    }

    /// import (as ImportCommand does) -> artifact file -> predict (as PredictCommand does) -> .npy file.
    private func importThenPredict(_ members: [(TreeLibrary, String, Double)], combine: Modelc_MemberCombine = .combineMeanMargin,
                                   output: TreePrediction.Output) throws -> NpyArray {
        let artifactPath = directory + "/model.modelc"
        let model = try TreeArtifact.model(
            name: "imported", members: try members.map { .init(try TreeFixtures.imported($0.0, $0.1), weight: $0.2) },
            combine: combine)
        try AtomicFile.write(try ArtifactWriter.encode(model), to: artifactPath)

        let artifact = try Artifact(path: artifactPath)
        let component = try TreePrediction.component(artifact.loaded, named: nil, file: artifactPath)
        let inputPath = TreeFixtures.path("X_test.npy")
        let result = try TreePrediction.predict(component, input: try NpyArray(path: inputPath), inputFile: inputPath, output: output)
        let outPath = directory + "/y.npy"
        try AtomicFile.write(result.encoded(), to: outPath)
        return try NpyArray(path: outPath)
    }

    func testLightGBMMarginsOnDiskEqualTheLibrary() throws {
        let y = try importThenPredict([(.lightgbm, "lgb_model.txt", 1)], output: .margin)
        XCTAssertEqual(y.dtype, .float64)
        XCTAssertEqual(y.shape, [1000])
        let expected = try TreeFixtures.npy("lgb_raw.npy").doubles()
        XCTAssertEqual(y.doubles().map(\.bitPattern), expected.map(\.bitPattern))
    }

    func testXGBoostBothColumns() throws {
        let y = try importThenPredict([(.xgboost, "xgb_model.ubj", 1)], output: .both)
        XCTAssertEqual(y.shape, [1000, 2])
        let values = y.doubles()
        let margin = try TreeFixtures.float32Bits("xgb_margin.npy")
        let prob = try TreeFixtures.npy("xgb_prob.npy").doubles()
        for r in 0..<1000 {
            XCTAssertEqual(Float(values[2 * r]).bitPattern, margin[r], "row \(r)")
            XCTAssertEqual(values[2 * r + 1], prob[r], accuracy: 2 * Double(Float(prob[r]).ulp), "row \(r)")
        }
    }

    /// XGBoost and LightGBM in one component, weights 1 and 3: the weighted mean of the two
    /// libraries' own margins, bit for bit, then the logistic link.
    func testMixedComponentAveragesTheLibrariesMargins() throws {
        let y = try importThenPredict([(.xgboost, "xgb_model.json", 1), (.lightgbm, "lgb_model.txt", 3)], output: .both)
        let xgb = try TreeFixtures.npy("xgb_margin.npy").doubles()
        let lgb = try TreeFixtures.npy("lgb_raw.npy").doubles()
        let values = y.doubles()
        for r in 0..<1000 {
            let margin = 0.25 * xgb[r] + 0.75 * lgb[r]
            XCTAssertEqual(values[2 * r].bitPattern, margin.bitPattern, "row \(r)")
            let p = 1 / (1 + exp(-margin))
            XCTAssertEqual(values[2 * r + 1], p, accuracy: 4 * p.ulp, "row \(r)")
        }
    }

    func testMixedComponentAveragesProbabilities() throws {
        let y = try importThenPredict([(.xgboost, "xgb_model.json", 1), (.lightgbm, "lgb_model.txt", 1)],
                                      combine: .combineMeanProbability, output: .probability)
        let xgb = try TreeFixtures.npy("xgb_prob.npy").doubles()
        let lgb = try TreeFixtures.npy("lgb_prob.npy").doubles()
        for (r, p) in y.doubles().enumerated() {
            XCTAssertEqual(p, 0.5 * xgb[r] + 0.5 * lgb[r], accuracy: 1e-7, "row \(r)")
        }
        XCTAssertThrowsError(try importThenPredict([(.xgboost, "xgb_model.json", 1), (.lightgbm, "lgb_model.txt", 1)],
                                                   combine: .combineMeanProbability, output: .margin)) {
            XCTAssertEqual("\($0)", TreeFixtures.path("X_test.npy") +
                ": component 'direction' averages member probabilities; it has no single margin (use --kind probability)")
        }
    }

    func testInputOfTheWrongShapeOrTypeIsRefused() throws {
        let model = try TreeArtifact.model(name: "m", members: [.init(try TreeFixtures.imported(.lightgbm, "lgb_model.txt"))])
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model))
        let component = try TreePrediction.component(loaded, named: nil, file: "m.modelc")
        let leafPath = TreeFixtures.path("lgb_leaf.npy")
        XCTAssertThrowsError(try TreePrediction.predict(component, input: try NpyArray(path: leafPath), inputFile: "leaf.npy", output: .margin)) {
            XCTAssertEqual("\($0)", "leaf.npy: expected a 2-D float32 or float64 array of shape (N, 23) in C order, found <i2 of shape (1000, 300)")
        }
        let flat = NpyArray(float64: [1, 2, 3], shape: [3])
        XCTAssertThrowsError(try TreePrediction.predict(component, input: flat, inputFile: "flat.npy", output: .margin)) {
            XCTAssertEqual("\($0)", "flat.npy: expected a 2-D float32 or float64 array of shape (N, 23) in C order, found <f8 of shape (3,)")
        }
        XCTAssertThrowsError(try TreePrediction.component(loaded, named: "long", file: "m.modelc")) {
            XCTAssertEqual("\($0)", "m.modelc: no tree component named 'long' (tree components: direction)")
        }
    }

    func testMembersMustReadTheSameRows() throws {
        let xgb = try TreeFixtures.imported(.xgboost, "xgb_model.json")
        var narrow = try TreeFixtures.imported(.lightgbm, "lgb_model.txt")
        narrow.ensemble.numFeatures = 30
        XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(xgb), .init(narrow)])) {
            XCTAssertEqual("\($0)", TreeFixtures.path("lgb_model.txt") + ": reads 30 features, " + TreeFixtures.path("xgb_model.json") +
                " reads 23: members of one component read the same rows")
        }
    }
}
