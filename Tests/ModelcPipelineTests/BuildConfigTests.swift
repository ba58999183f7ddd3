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
        XCTAssertTrue(typo.contains("data.symbols[0]: no candle file for BTCUSD in \(ohlcv.path): looked for BTCUSD_* or BTCUSD.* (modelc's BTCUSD_1h.csv), or a name"), typo)
    }

    /// freqtrade's `user_data/data/<exchange>` folder: pairs written BTC/USDT or BTCUSDT, one file
    /// per timeframe (picked by `interval`), futures and trades files beside them.
    func testAFreqtradeDataFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-freqtrade-\(UUID().uuidString)")
        let binance = root.appendingPathComponent("binance")
        try FileManager.default.createDirectory(at: binance, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        for name in ["BTC_USDT-1h.json", "BTC_USDT-5m.json", "BTC_USDT-trades.json", "ETH_USDT-1h.jsongz", "ETH_USDT-5m.jsongz",
                     "BTC_USDT_USDT-1h-futures.feather", "BTC_USDT_USDT-8h-funding_rate.feather"] {
            try Data("[]".utf8).write(to: binance.appendingPathComponent(name))
        }
        let c = try load("data:\n  directory: \(binance.path)\n  symbols: [BTC/USDT, ETHUSDT, BTC/USDT:USDT]\n  interval: 1h\n")
        XCTAssertEqual(c.data.files.map { URL(fileURLWithPath: $0).lastPathComponent },
                       ["BTC_USDT-1h.json", "ETH_USDT-1h.jsongz", "BTC_USDT_USDT-1h-futures.feather"])
        let several = message("data:\n  directory: \(binance.path)\n  symbols: [BTC/USDT]\n")
        XCTAssertTrue(several.contains("data.symbols[0]: several files for BTC/USDT in \(binance.path): BTC_USDT-1h.json, BTC_USDT-5m.json; "
            + "give `interval` (e.g. 1h) to pick the file of that timeframe"), several)
        let none = message("data:\n  directory: \(binance.path)\n  symbols: [SOL/USDT]\n  interval: 1h\n")
        XCTAssertTrue(none.contains("no candle file for SOL/USDT in \(binance.path): looked for a name whose part before the first \"-\" "
            + "is SOLUSDT once \"_\" are dropped (freqtrade's SOL_USDT-1h.json, Binance's SOLUSDT-1h-2024-01.csv)"), none)
        let above = message("data:\n  directory: \(root.path)\n  symbols: [BTC/USDT]\n")
        XCTAssertTrue(above.contains("freqtrade keeps candles in user_data/data/<exchange>: this folder has binance"), above)
    }
}
