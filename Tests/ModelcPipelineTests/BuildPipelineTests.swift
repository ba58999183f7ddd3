import ModelcFormat
import ModelcPipeline
import ModelcRuntime
import XCTest

/// `modelc build` end to end on a real slice of BTC candles, with models small enough to train
/// in seconds.
final class BuildPipelineTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let candles = root.appendingPathComponent("Models/data/BTCUSDT_1h_recent.csv").path

    /// A tiny config: 2 walk-forward windows of 45 days, a 10-day holdout, a 4-unit BiLSTM, 20 trees,
    /// and a low entry threshold so the policy trades.
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

    private func build(_ yaml: String, computer: FeatureComputer? = nil) throws -> (BuildPipeline.Result, URL) {
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
        let (result, dir) = try build(Self.tinyConfig())
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
        XCTAssertEqual(card.importance.count, 19)
        XCTAssertTrue(result.model.info.metadata["leakage_check"]?.hasPrefix("passed") ?? false)

        // The card's backtest is the runtime replaying the file over the holdout span: do it again
        // from the written bytes, as `modelc backtest` does, and get the same numbers exactly.
        let model = try ModelLoader.load(written)
        let b = card.backtest
        let loaded = try ModelcPipelineTestSupport.candles(Self.candles)
        let r = try ReplayedSeries.replay(model: model, name: "BTCUSDT_1h_recent", candles: loaded, start: b.start, end: b.end)
        let again = Backtest.run([Backtest.Series(name: r.name, candles: r.candles, positions: r.positions)], start: b.start, end: b.end,
                                 costs: BacktestCosts(fee: b.fee, slippage: b.slippage), interval: 3_600)
        XCTAssertEqual(again, b)
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
        XCTAssertThrowsError(try build(Self.tinyConfig(), computer: peeking)) { error in
            let m = "\(error)"
            XCTAssertTrue(m.contains("leakage: feature 'log_return_1'"), m)
            XCTAssertTrue(m.contains("reads the future"), m)
        }
    }

    func testTooLittleDataForTheWindowsIsAClearError() {
        XCTAssertThrowsError(try build(Self.tinyConfig(from: "2025-10-01"))) { error in
            XCTAssertTrue("\(error)".contains("not enough data for 2 windows"), "\(error)")
        }
    }
}
