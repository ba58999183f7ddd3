import Foundation
@testable import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// Models of the kinds beyond binary classification, trained by the real XGBoost 3.2.0 and
/// LightGBM 4.7.0 (Tools/fixtures/trees_kinds.py, committed under Tests/Fixtures/trees-kinds with
/// the libraries' own outputs for 200 rows): imported, written, reloaded and scored through the
/// components, as `mc_score_inputs` does.
final class TreeKindsParityTests: XCTestCase {
    static let directory = RepositoryPaths.root.appendingPathComponent("Tests/Fixtures/trees-kinds").path

    private func npy(_ name: String) throws -> NpyArray { try NpyArray(path: Self.directory + "/" + name) }

    private func rows() throws -> (values: [Double], count: Int) {
        let x = try npy("X.npy")
        XCTAssertEqual(x.dtype, .float32)
        return (x.doubles(), x.shape[0])
    }

    /// Imports `file`, writes and reloads its artifact; returns the loaded model.
    private func loaded(_ library: TreeLibrary, _ file: String, signals: TreeArtifact.Signals = .init()) throws -> LoadedModel {
        let imported = try library.read(path: Self.directory + "/" + file)
        let model = try TreeArtifact.model(name: "kinds", members: [.init(imported)], signals: signals)
        return try ModelLoader.load(try ArtifactWriter.encode(model))
    }

    private func scores(_ component: ComponentDefinition) throws -> [TreeScore] {
        let (values, count) = try rows()
        return try values.withUnsafeBufferPointer { try component.scoreTrees(rows: $0, rowCount: count) }
    }

    /// XGBoost reg:squarederror: the prediction is the float32 margin (base_score plus the trees
    /// in order), bit for bit; `short` gives exactly minus it.
    func testXGBoostRegressionPredictsTheLibrarysValue() throws {
        let model = try loaded(.xgboost, "xgb_regression.json")
        XCTAssertEqual(model.components.map(\.name), ["long", "short"])
        let expected = try npy("xgb_regression_pred.npy")
        XCTAssertEqual(expected.dtype, .float32)
        let want = expected.doubles()
        XCTAssertEqual(want, try npy("xgb_regression_raw.npy").doubles())
        let long = try scores(model.components[0]), short = try scores(model.components[1])
        for r in want.indices {
            XCTAssertEqual(long[r].probability.bitPattern, want[r].bitPattern, "row \(r)")
            XCTAssertEqual(short[r].probability.bitPattern, (-want[r]).bitPattern, "row \(r)")
        }
    }

    /// LightGBM regression: the float64 raw score is the prediction, bit for bit.
    func testLightGBMRegressionPredictsTheLibrarysValue() throws {
        let model = try loaded(.lightgbm, "lgb_regression.txt")
        let want = try npy("lgb_regression_pred.npy").doubles()
        XCTAssertEqual(want, try npy("lgb_regression_raw.npy").doubles())
        let long = try scores(model.components[0]), short = try scores(model.components[1])
        for r in want.indices {
            XCTAssertEqual(long[r].probability.bitPattern, want[r].bitPattern, "row \(r)")
            XCTAssertEqual(short[r].probability.bitPattern, (-want[r]).bitPattern, "row \(r)")
        }
    }

    /// The regression blend enters LONG at a value of at least `entry`, SHORT at most −`entry`,
    /// FLAT between.
    func testRegressionBlendEntersAtTheThreshold() throws {
        let model = try loaded(.lightgbm, "lgb_regression.txt", signals: .init(entry: 0.002))
        let blend = try XCTUnwrap(model.blend)
        XCTAssertEqual(blend.mode, .specialists)
        for (value, signal) in [(0.0025, Signal.long), (0.002, .long), (0.0019, .flat), (-0.0019, .flat), (-0.002, .short), (-0.01, .short)] {
            XCTAssertEqual(blend.read([value, -value]).decision.signal, signal, "value \(value)")
        }
    }

    func testMixedKindsAndBuildDirectionAreRefused() throws {
        let binary = try TreeFixtures.imported(.lightgbm, "lgb_model.txt")
        let regression = try LightGBMImporter.read(path: Self.directory + "/lgb_regression.txt")
        XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(binary), .init(regression)])) {
            XCTAssertEqual("\($0)", Self.directory + "/lgb_regression.txt: is a regression model, \(binary.file) a binary one: members of one component predict the same thing")
        }
        XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(binary)], signals: .init(entry: 0.1)))
        XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(regression)], signals: .init(entry: -1))) {
            XCTAssertEqual("\($0)", Self.directory + "/lgb_regression.txt: entry -1.0 must be finite and at least 0")
        }
    }
}
