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

    /// Margins of the artifact's one-class components against the library's raw scores of
    /// `classes` (a float32 or float64 (N, K) array, bit for bit), and probabilities against its
    /// predictions within `ulps` units in the last place of the library's type.
    private func checkClasses(_ model: LoadedModel, _ prefix: String, classes: [Int], ulps: Double, rawDivisor: Double = 1,
                              file: StaticString = #filePath, line: UInt = #line) throws {
        let raw = try npy(prefix + "_raw.npy"), pred = try npy(prefix + "_pred.npy")
        let k = raw.shape.count == 2 ? raw.shape[1] : 1
        let f32 = raw.dtype == .float32
        let rawValues = raw.doubles(), predValues = pred.doubles()
        for (c, component) in zip(classes, model.components) {
            let got = try scores(component)
            XCTAssertEqual(got.count, rawValues.count / k, file: file, line: line)
            // One row alone (the C ABI's single-row path) gives the batch's bits.
            let (values, _) = try rows()
            let width = component.inputCount
            for r in [0, 1, 7, got.count - 1] {
                let one = try values[r * width..<(r + 1) * width].withUnsafeBufferPointer { try component.scoreTrees($0) }
                XCTAssertEqual(one, got[r], "\(component.name) row \(r) alone", file: file, line: line)
            }
            for r in got.indices {
                let margin = rawValues[r * k + c] / rawDivisor, p = predValues[r * k + c]
                XCTAssertEqual(got[r].margin.bitPattern, margin.bitPattern, "\(component.name) row \(r)", file: file, line: line)
                let ulp = f32 ? Double(Float(p).ulp) : p.ulp
                XCTAssertLessThanOrEqual(abs(got[r].probability - p), ulps * ulp, "\(component.name) row \(r)", file: file, line: line)
            }
        }
    }

    /// XGBoost multi:softprob, 3 classes (short, flat, long): each class margin (its base score
    /// plus its trees) bit for bit, the softmax within 4 float32 ulps; every class checked.
    func testXGBoostMulticlassMatchesTheLibrary() throws {
        let model = try loaded(.xgboost, "xgb_multiclass.json")
        XCTAssertEqual(model.components.map(\.name), ["long", "short"])
        try checkClasses(model, "xgb_multiclass", classes: [2, 0], ulps: 4)
        try checkClasses(try loaded(.xgboost, "xgb_multiclass.json", signals: .init(classes: ["flat", "long", "short"])),
                         "xgb_multiclass", classes: [1, 2], ulps: 4)
    }

    /// LightGBM multiclass, 3 classes: float64 raw scores bit for bit, the softmax within 4 ulps.
    func testLightGBMMulticlassMatchesTheLibrary() throws {
        try checkClasses(try loaded(.lightgbm, "lgb_multiclass.txt"), "lgb_multiclass", classes: [2, 0], ulps: 4)
        try checkClasses(try loaded(.lightgbm, "lgb_multiclass.txt", signals: .init(classes: ["flat", "long", "short"])),
                         "lgb_multiclass", classes: [1, 2], ulps: 4)
    }

    /// The multiclass blend enters a direction when its class probability reaches `entry`.
    func testMulticlassBlendEntersAtTheClassProbability() throws {
        let blend = try XCTUnwrap(try loaded(.lightgbm, "lgb_multiclass.txt", signals: .init(entry: 0.6)).blend)
        for (long, short, signal) in [(0.6, 0.1, Signal.long), (0.1, 0.7, .short), (0.5, 0.4, .flat)] {
            XCTAssertEqual(blend.read([long, short]).decision.signal, signal, "p_long \(long), p_short \(short)")
        }
    }

    /// XGBoost DART: each tree's leaves times its weight, as XGBoost predicts; binary logistic.
    func testXGBoostDARTMatchesTheLibrary() throws {
        let model = try loaded(.xgboost, "xgb_dart.json")
        try checkClasses(model, "xgb_dart", classes: [0], ulps: 2)
    }

    /// LightGBM boosting=rf: the sum of the trees divided by their count, then the sigmoid.
    /// (LightGBM's raw_score output is the undivided sum; its probability is of the average.)
    func testLightGBMRandomForestMatchesTheLibrary() throws {
        let model = try loaded(.lightgbm, "lgb_rf.txt")
        XCTAssertEqual(model.components[0].memberTrees[0]?.treeCount, 20)
        try checkClasses(model, "lgb_rf", classes: [0], ulps: 4, rawDivisor: 20)
    }

    func testMulticlassRefusals() throws {
        let file = Self.directory + "/lgb_multiclass.txt"
        let imported = try LightGBMImporter.read(path: file)
        for (classes, got) in [(["long", "short"], "long,short"), (["long", "flat", "flat"], "long,flat,flat"),
                               (["long", "long", "short"], "long,long,short")] {
            XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(imported)], signals: .init(classes: classes))) {
                XCTAssertEqual("\($0)", file + ": a 3-class model needs its 3 classes named in class order, one 'long' and one 'short' (got \(got))")
            }
        }
        XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(imported), .init(imported)])) {
            XCTAssertEqual("\($0)", file + ": multiclass members are joined by their probabilities (combine probability), not their margins")
        }
        let regression = try LightGBMImporter.read(path: Self.directory + "/lgb_regression.txt")
        XCTAssertThrowsError(try TreeArtifact.model(name: "m", members: [.init(regression)], signals: .init(classes: ["long", "short"]))) {
            XCTAssertEqual("\($0)", regression.file + ": a regression model has no classes to name")
        }
    }

    /// The new fields are capabilities (a reader that does not know them refuses the artifact by
    /// name), and the loader refuses inconsistent ones, naming the member.
    func testMulticlassAndAverageFieldsAreCapabilitiesAndChecked() throws {
        let multiclass = try TreeArtifact.model(name: "m", members: [.init(try XGBoostImporter.read(path: Self.directory + "/xgb_multiclass.json"))])
        XCTAssertEqual(try Artifact(bytes: try ArtifactWriter.encode(multiclass)).header.requiredCapabilities,
                       [Capability.specialistBlend, Capability.treeEnsemble, Capability.treeMulticlass])
        let forest = try TreeArtifact.model(name: "m", members: [.init(try LightGBMImporter.read(path: Self.directory + "/lgb_rf.txt"))])
        XCTAssertEqual(try Artifact(bytes: try ArtifactWriter.encode(forest)).header.requiredCapabilities,
                       [Capability.treeAverage, Capability.treeEnsemble])
        for (change, message) in [
            ({ (e: inout Modelc_TreeEnsemble) in e.classBaseScore.removeLast() } as (inout Modelc_TreeEnsemble) -> Void,
             "num_class 3 needs at most 256 classes, as many class_base_score (has 2), output_class below it (is 2) and a multiple of it trees (has 60)"),
            ({ $0.trees.removeLast() }, "num_class 3 needs at most 256 classes, as many class_base_score (has 3), output_class below it (is 2) and a multiple of it trees (has 59)"),
            ({ $0.outputClass = 3 }, "num_class 3 needs at most 256 classes, as many class_base_score (has 3), output_class below it (is 3) and a multiple of it trees (has 60)"),
            ({ $0.link = .logistic }, "LINK_SOFTMAX goes with num_class >= 2 and only with it (num_class 3)"),
            ({ $0.numClass = 0 }, "LINK_SOFTMAX goes with num_class >= 2 and only with it (num_class 0)"),
        ] {
            var model = multiclass
            change(&model.components[0].members[0].trees)
            XCTAssertThrowsError(try ModelLoader.load(try ArtifactWriter.encode(model))) {
                XCTAssertEqual(($0 as? ModelcError)?.message, "component 'long', member 0: " + message)
            }
        }
    }

    /// XGBoost categorical splits (the set goes right): margins bit for bit, probabilities within
    /// 2 float32 ulps, on rows whose category column holds every code, unseen codes, fractions,
    /// negatives, NaN and extremes.
    func testXGBoostCategoricalSplitsMatchTheLibrary() throws {
        let imported = try XGBoostImporter.read(path: Self.directory + "/xgb_categorical.json")
        let model = try ModelLoader.load(try ArtifactWriter.encode(try TreeArtifact.model(name: "m", members: [.init(imported)])))
        let x = try npy("X_categorical.npy")
        let raw = try npy("xgb_categorical_raw.npy").doubles(), pred = try npy("xgb_categorical_pred.npy").doubles()
        let got = try x.doubles().withUnsafeBufferPointer { try model.components[0].scoreTrees(rows: $0, rowCount: x.shape[0]) }
        for r in raw.indices {
            XCTAssertEqual(got[r].margin.bitPattern, raw[r].bitPattern, "row \(r): x5 = \(x.doubles()[r * 6 + 5])")
            XCTAssertLessThanOrEqual(abs(got[r].probability - pred[r]), 2 * Double(Float(pred[r]).ulp), "row \(r)")
        }
    }

    /// LightGBM categorical splits (cat_threshold bitsets, category 0 in the set), missing type
    /// None and NaN: raw scores bit for bit on rows whose category column holds every code,
    /// unseen codes, fractions, negatives, NaN and extremes.
    func testLightGBMCategoricalSplitsMatchTheLibrary() throws {
        for (name, decision) in [("lgb_categorical", "decision_type=1 "), ("lgb_categorical_nan", "decision_type=9 ")] {
            let path = Self.directory + "/" + name + ".txt"
            XCTAssertTrue(try String(contentsOfFile: path, encoding: .utf8).contains(decision), name)
            let imported = try LightGBMImporter.read(path: path)
            let model = try ModelLoader.load(try ArtifactWriter.encode(try TreeArtifact.model(name: "m", members: [.init(imported)])))
            let x = try npy("X_categorical.npy")
            let raw = try npy(name + "_raw.npy").doubles(), pred = try npy(name + "_pred.npy").doubles()
            let got = try x.doubles().withUnsafeBufferPointer { try model.components[0].scoreTrees(rows: $0, rowCount: x.shape[0]) }
            for r in raw.indices {
                XCTAssertEqual(got[r].margin.bitPattern, raw[r].bitPattern, "\(name) row \(r): x5 = \(x.doubles()[r * 6 + 5])")
                XCTAssertLessThanOrEqual(abs(got[r].probability - pred[r]), 4 * pred[r].ulp, "\(name) row \(r)")
            }
        }
    }

    /// An XGBoost and a LightGBM 3-class model joined by their probabilities (weights 1 and 3):
    /// each direction's probability is the weighted mean of the libraries' class probabilities.
    func testMulticlassMembersJoinByProbability() throws {
        let members: [TreeArtifact.Member] = [.init(try XGBoostImporter.read(path: Self.directory + "/xgb_multiclass.json")),
                                              .init(try LightGBMImporter.read(path: Self.directory + "/lgb_multiclass.txt"), weight: 3)]
        let model = try ModelLoader.load(try ArtifactWriter.encode(
            try TreeArtifact.model(name: "m", members: members, combine: .combineMeanProbability)))
        let xgb = try npy("xgb_multiclass_pred.npy").doubles(), lgb = try npy("lgb_multiclass_pred.npy").doubles()
        for (component, c) in zip(model.components, [2, 0]) {
            for (r, score) in try scores(component).enumerated() {
                let expected = 0.25 * xgb[r * 3 + c] + 0.75 * lgb[r * 3 + c]
                // XGBoost's share is within 4 float32 ulps (weighted 1/4), LightGBM's within a few double ulps.
                let tolerance = Double(Float(xgb[r * 3 + c]).ulp) + 4 * expected.ulp
                XCTAssertEqual(score.probability, expected, accuracy: tolerance, "\(component.name) row \(r)")
            }
        }
    }
}
