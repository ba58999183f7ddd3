import ModelcFormat
@testable import ModelcPipeline
import ModelcRuntime
import ModelcTestSupport
import ModelcTraining
import XCTest

/// `modelc build` end to end on a real slice of BTC candles, with models small enough to train
/// in seconds.
final class BuildPipelineTests: XCTestCase {
    static let root = RepositoryPaths.root
    static let candles = root.appendingPathComponent("Models/data/BTCUSDT_1h_recent.csv").path

    /// A tiny config written for format 1.0 (the direction blend's keys, no `trees.targets`): 2
    /// walk-forward windows of 45 days, a 10-day holdout, a 4-unit BiLSTM, 20 trees, and a low entry
    /// threshold so the policy trades. It still builds the direction model it always built.
    static func tinyConfig(from: String = "2025-05-01") -> String {
        """
        name: tiny
        seed: 3
        data:
          files: [\(candles)]
          from: \(from)
        walk_forward: {train: 45d, test: 10d, windows: 2, holdout: 10d}
        trees: {num_trees: 20, num_leaves: 7, min_data_in_leaf: 20, early_stopping_rounds: 5}
        networks:
          long: {sequence_length: 8, hidden_size: 4, heads: 2, fc_hidden: 4, epochs: 1}
          short: {sequence_length: 8, hidden_size: 4, heads: 2, fc_hidden: 4, epochs: 1}
        blend: {entry_threshold: 0.5, veto_threshold: 0.0}
        """
    }

    /// The same data and sizes with the defaults of format 1.1: tree specialists, calibration, the
    /// policy fitted on the out-of-fold rows. So that it trades on this short span: few trades
    /// needed, no costs and no evidence bar (`evidence` keeps the default bar).
    static func specialistConfig(evidence: Bool = false) -> String {
        """
        name: tiny
        seed: 3
        data:
          files: [\(candles)]
          from: 2025-05-01
        walk_forward: {train: 45d, test: 10d, windows: 2, holdout: 10d}
        trees: {num_trees: 20, num_leaves: 7, min_data_in_leaf: 20, early_stopping_rounds: 5}
        networks:
          long: {sequence_length: 8, hidden_size: 4, heads: 2, fc_hidden: 4, epochs: 1}
          short: {sequence_length: 8, hidden_size: 4, heads: 2, fc_hidden: 4, epochs: 1}
        blend: {min_trades: 2\(evidence ? "" : ", confidence: 0")}
        backtest: {fee: 0, slippage: 0}
        """
    }

    static func build(_ yaml: String, computer: FeatureComputer? = nil) throws -> (BuildPipeline.Result, URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-build-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("tiny.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        var pipeline = BuildPipeline(config: try BuildConfig.load(path: file.path), configText: yaml)
        pipeline.log = { _ in }
        if let computer { pipeline.computer = computer }
        return (try pipeline.run(output: dir.appendingPathComponent("tiny.modelc").path), dir)
    }

    func testBuildWritesAnArtifactWhoseCardTheRuntimeReproduces() throws {
        let (result, dir) = try Self.build(Self.tinyConfig())
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try [UInt8](Data(contentsOf: dir.appendingPathComponent("tiny.modelc")))
        XCTAssertEqual(written, result.bytes)
        let card = result.model.card
        XCTAssertEqual(card.windows.count, 2)
        for (a, b) in zip(card.windows, card.windows.dropFirst()) { XCTAssertLessThan(a.testStart, b.testStart) }
        for w in card.windows {
            XCTAssertLessThan(w.trainEnd, w.testStart, "purge between training and test")
            XCTAssertEqual(w.backtest.start, w.testStart)
            XCTAssertFalse(w.metrics.filter { $0.component == "long/blend" && $0.name == "auc" }.isEmpty)
        }
        XCTAssertEqual(result.model.components.map(\.name), ["direction", "long", "short"])
        XCTAssertGreaterThan(card.backtest.trades, 0, "a policy with entry 0.5 trades on the holdout")
        XCTAssertFalse(card.calibration.isEmpty)
        XCTAssertEqual(card.importance.count, 23)
        XCTAssertTrue(result.model.info.metadata["leakage_check"]?.hasPrefix("passed") ?? false)

        XCTAssertEqual(try Self.replayedHoldout(written, card.backtest), card.backtest)
    }

    /// The card's backtest is the runtime replaying the file over the holdout span: this does it
    /// again from the written bytes, as `modelc backtest` does.
    static func replayedHoldout(_ bytes: [UInt8], _ b: Modelc_Backtest) throws -> Modelc_Backtest {
        let model = try ModelLoader.load(bytes)
        let loaded = try ModelcPipelineTestSupport.candles(candles)
        let r = try ReplayedSeries.replay(model: model, name: "BTCUSDT_1h_recent", candles: loaded, start: b.start, end: b.end)
        return Backtest.run([Backtest.Series(name: r.name, candles: r.candles, positions: r.positions)], start: b.start, end: b.end,
                            costs: BacktestCosts(fee: b.fee, slippage: b.slippage), interval: 3_600)
    }

    func testThePipelineRefusesAFeatureThatReadsTheFuture() throws {
        // Plant a feature that peeks: column 0 becomes the next candle's log return.
        let peeking: FeatureComputer = { candles, features, interval, warmup in
            var rows = try FeatureRows.runtime(candles, features: features, interval: interval, warmup: warmup)
            for r in 0..<rows.count {
                let c = rows.candleIndices[r]
                rows.values[r * rows.columns] = c + 1 < candles.count ? log(candles[c + 1].close / candles[c].close) : 0
            }
            return rows
        }
        XCTAssertThrowsError(try Self.build(Self.tinyConfig(), computer: peeking)) { error in
            let m = "\(error)"
            XCTAssertTrue(m.contains("leakage: feature 'log_return_1'"), m)
            XCTAssertTrue(m.contains("reads the future"), m)
        }
    }

    func testTooLittleDataForTheWindowsIsAClearError() {
        XCTAssertThrowsError(try Self.build(Self.tinyConfig(from: "2025-10-01"))) { error in
            XCTAssertTrue("\(error)".contains("not enough data for 2 windows"), "\(error)")
        }
    }
}

/// Train/serve parity: the networks the build trained, run by the trainer on standardised
/// windows, against the compiled f32 artifact run by the runtime on raw feature windows.
final class BuildParityTests: XCTestCase {
    func testTrainerAndRuntimeAgreeOnTheFinalNetworks() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-parity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = BuildPipelineTests.specialistConfig() + "\nprecision: f32\n"
        let file = dir.appendingPathComponent("parity.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        var pipeline = BuildPipeline(config: try BuildConfig.load(path: file.path), configText: yaml)
        pipeline.log = { _ in }
        let result = try pipeline.run(output: dir.appendingPathComponent("parity.modelc").path)
        let model = try ModelLoader.load(result.bytes)
        let candles = try ModelcPipelineTestSupport.candles(BuildPipelineTests.candles)
        for (name, trained) in [("long", result.trained.long!), ("short", result.trained.short!)] {
            var component = model.components.first { $0.name == name }!
            XCTAssertNotNil(component.calibrator, "\(name) is calibrated")
            component.calibrator = nil  // the trainer's probabilities are the uncalibrated ones
            let rows = try FeatureRows.runtime(candles, features: trained.features, interval: 3_600, warmup: 100)
            let T = component.window, F = trained.features.count
            var raw: [[Double]] = []
            for r in stride(from: rows.count - 1, to: rows.count - 400, by: -7) where rows.positionsInRun[r] >= 100 + T - 1 {
                raw.append(Array(rows.values[((r - T + 1) * F)..<((r + 1) * F)]))
            }
            let matrix = try FeatureMatrix(columns: F, values: raw.flatMap { $0 })
            let scaled = try trained.scaler.apply(to: matrix)
            let expected = try trained.ensemble.probabilities(windows: scaled, count: raw.count)
            var worst = 0.0
            for (w, p) in zip(raw, expected) { worst = max(worst, abs(try component.probability(window: w) - p)) }
            XCTAssertLessThan(worst, 1e-4, "\(name): max |p_runtime - p_trainer| over \(raw.count) windows")
            XCTAssertGreaterThan(raw.count, 40)
        }
    }
}

/// Models trained elsewhere, named in the config, are evaluated and compiled like trained ones.
final class BuildImportTests: XCTestCase {
    func testImportedTreesAndNetworksAreEvaluatedWalkForward() throws {
        let fixtures = RepositoryPaths.shared("fixtures")
        try XCTSkipUnless(FileManager.default.fileExists(atPath: fixtures.path), "needs ../shared/fixtures")
        let models = BuildPipelineTests.root.appendingPathComponent("Models/pytorch").path
        let yaml = """
            name: imported
            data: {files: [\(BuildPipelineTests.candles)], from: 2025-09-01}
            walk_forward: {train: 20d, test: 3d, windows: 1, holdout: 3d}
            trees: {features: base+crash, import: {lightgbm: \(fixtures.path)/trees/lgb_model.txt}}
            networks:
              long: {import: {arch: \(models)/seed-long.yaml, weights: \(fixtures.path)/lstm/seed_trained_long_f19.safetensors, scaler: \(models)/seed-scaler-19.yaml}}
              short: {enabled: false}
            """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("imported.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let config = try BuildConfig.load(path: file.path)
        XCTAssertEqual(config.long.sequenceLength, 64, "the architecture file sets the window")
        var pipeline = BuildPipeline(config: config, configText: yaml)
        pipeline.log = { _ in }
        let result = try pipeline.run(output: dir.appendingPathComponent("imported.modelc").path)
        XCTAssertEqual(result.model.components.map(\.name), ["direction", "long"])
        guard case .trees(let trees) = result.model.components[0].members[0].model else { return XCTFail("no trees") }
        XCTAssertEqual(trees.source, .treesLightgbm)
        XCTAssertEqual(result.model.card.windows.count, 1)
        XCTAssertTrue(result.trained.trees.isEmpty, "imported components are not retrained")
        XCTAssertFalse(result.model.card.overall.filter { $0.component == "long/network" && $0.name == "auc" }.isEmpty)

    }
}
