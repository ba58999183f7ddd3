import ModelcPipeline
import ModelcTestSupport
import XCTest

final class BuildConfigTests: XCTestCase {
    func load(_ yaml: String) throws -> BuildConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("build.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        return try BuildConfig.load(path: file.path)
    }

    func message(_ yaml: String) -> String {
        do {
            _ = try load(yaml)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testTheBundledConfigsLoad() throws {
        let models = RepositoryPaths.root.appendingPathComponent("Models")
        let quick = try BuildConfig.load(path: models.appendingPathComponent("quickstart.yaml").path)
        XCTAssertEqual(quick.data.files.count, 2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: quick.data.files[0]), quick.data.files[0])
        XCTAssertEqual(quick.short.features.count, 23)
        XCTAssertEqual(quick.long.features.count, 19)
        XCTAssertEqual(quick.blend.treeWeight, 0.6)
    }

    func testUnknownKeyNamesTheKeyTheLineAndTheAllowedKeys() {
        let m = message("data:\n  files: [a.csv]\nwalk_forward:\n  trian: 90d\n")
        XCTAssertTrue(m.contains("build.yaml:4"), m)
        XCTAssertTrue(m.contains("walk_forward.trian"), m)
        XCTAssertTrue(m.contains("unknown key"), m)
        XCTAssertTrue(m.contains("train, test, step"), m)
    }

    /// The model version is semver, and a candle file listed twice (it would be trained on twice)
    /// is refused at its line.
    func testVersionMustBeSemverAndFilesAreListedOnce() {
        let banana = message("version: banana\ndata:\n  files: [a.csv]\n")
        XCTAssertTrue(banana.contains("build.yaml:1: version: 'banana' is not a semver version"), banana)
        for good in ["1.0.0", "0.2.0-rc.1", "1.2.3+build.7"] {
            XCTAssertFalse(message("version: \(good)\ndata:\n  files: [a.csv]\n").contains("semver"), good)
        }
        for bad in ["1.0", "01.0.0", "1.0.0-", "v1.0.0"] {
            XCTAssertTrue(message("version: \(bad)\ndata:\n  files: [a.csv]\n").contains("is not a semver version"), bad)
        }
        let twice = message("data:\n  files:\n    - a.csv\n    - b.csv\n    - ./a.csv\n")
        XCTAssertTrue(twice.contains("build.yaml:5: data.files[2]:") && twice.contains("a.csv is listed twice"), twice)
    }

    func testBadValuesNameTheKeyAndWhatIsAllowed() {
        let precision = message("data:\n  files: [a.csv]\nprecision: int4\n")
        XCTAssertTrue(precision.contains("precision: 'int4' is not one of f32, f16, int8, int8-dynamic"), precision)
        let span = message("data:\n  files: [a.csv]\nwalk_forward:\n  test: two weeks\n")
        XCTAssertTrue(span.contains("walk_forward.test: 'two weeks' is not a positive duration"), span)
        let threshold = message("data:\n  files: [a.csv]\nlabels:\n  short_threshold: 0.02\n")
        XCTAssertTrue(threshold.contains("labels.short_threshold: 0.02 is outside"), threshold)
        let feature = message("data:\n  files: [a.csv]\nnetworks:\n  long:\n    features: [rsi_14, moon_phase]\n")
        XCTAssertTrue(feature.contains("networks.long.features[1]: unknown feature 'moon_phase'"), feature)
        let heads = message("data:\n  files: [a.csv]\nnetworks:\n  short:\n    hidden_size: 5\n    heads: 4\n")
        XCTAssertTrue(heads.contains("4 heads do not divide"), heads)
        let imported = message("data:\n  files: [a.csv]\ntrees:\n  import: {xgboost: m.json}\n")
        XCTAssertTrue(imported.contains("trees.import: an imported model needs `features`"), imported)
        let library = message("data:\n  files: [a.csv]\ntrees:\n  features: base\n  import: {catboost: m.cbm}\n")
        XCTAssertTrue(library.contains("trees.import.catboost: unknown key (allowed here: xgboost, lightgbm)"), library)
        let barrier = message("data:\n  files: [a.csv]\nlabels:\n  take_profit: 2\n")
        XCTAssertTrue(barrier.contains("labels.take_profit: only for kind triple_barrier"), barrier)
    }

    func testDataNeedsFilesOrADirectoryWithSymbols() {
        XCTAssertTrue(message("seed: 1\n").contains("`data` is required"))
        XCTAssertTrue(message("data:\n  symbols: [BTCUSDT]\n").contains("symbols pick files from a `directory`"))
        let missing = message("data:\n  directory: /nonexistent-modelc\n  symbols: [BTCUSDT]\n")
        XCTAssertTrue(missing.contains("is not a readable folder"), missing)
    }

    func testDirectoryAndSymbolsPickOneFileEach() throws {
        let ohlcv = RepositoryPaths.shared("data/ohlcv")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: ohlcv.path), "needs ../shared/data/ohlcv")
        let c = try load("data:\n  directory: \(ohlcv.path)\n  symbols: [ETHUSDT, SOLUSDT]\n")
        XCTAssertEqual(c.data.files.map { URL(fileURLWithPath: $0).lastPathComponent }, ["ETHUSDT_1h.csv", "SOLUSDT_1h.csv"])
        let typo = message("data:\n  directory: \(ohlcv.path)\n  symbols: [BTCUSD]\n")
        XCTAssertTrue(typo.contains("data.symbols[0]: no file named BTCUSD_*"), typo)
    }
}
