import Foundation
import XCTest

/// The commands a user runs on a built model: the candles it meets, the gates it is promoted
/// through, and the usage rules of the command line itself.
final class BuiltModelCommandTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let candles = root.appendingPathComponent("Models/data/ETHUSDT_1h_recent.csv").path
    private var dir: URL!

    override func setUpWithError() throws { dir = try CLIRunner.temporaryDirectory() }
    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// A small 1-hour model with a holdout, as `modelc build` writes it.
    private func build() throws -> String {
        let config = path("eth.yaml")
        try """
            name: eth-gates
            data: {files: [\(Self.candles)], from: 2025-07-01}
            walk_forward: {train: 30d, test: 7d, windows: 1, holdout: 14d}
            trees: {num_trees: 10, num_leaves: 5, early_stopping_rounds: 5}
            networks:
              long: {sequence_length: 4, hidden_size: 4, heads: 1, fc_hidden: 4, epochs: 1}
              short: {enabled: false}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let artifact = path("eth.modelc")
        let built = try CLIRunner.run(["build", config, "-o", artifact])
        XCTAssertEqual(built.status, 0, built.stderr)
        return artifact
    }

    func testModelcAloneShowsHelpAndExitsWithTheUsageStatus() throws {
        let r = try CLIRunner.run([])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("USAGE: modelc <subcommand>"), r.stderr)
    }

    /// 4-hour candles given to a 1-hour model are refused naming both intervals, never "0 scored".
    func testCandlesOfAnotherIntervalAreRefused() throws {
        let artifact = try build()
        let lines = try String(contentsOfFile: Self.candles, encoding: .utf8).split(separator: "\n")
        let fourHourly = path("eth4h.csv")
        try ([lines[0]] + lines.dropFirst().enumerated().filter { $0.offset % 4 == 0 }.map(\.element))
            .joined(separator: "\n").write(toFile: fourHourly, atomically: true, encoding: .utf8)
        for args in [["score", artifact, fourHourly, "-o", path("s.csv")], ["backtest", artifact, fourHourly]] {
            let r = try CLIRunner.run(args)
            XCTAssertEqual(r.status, 1, args[0])
            XCTAssertTrue(r.stderr.contains("\(fourHourly): the candles are 14400 seconds apart, but model 'eth-gates' reads 3600-second candles"),
                          r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("s.csv")))
    }

    /// One candle with every price 1e160 costs one warm-up, not the rest of the file, and
    /// `score` says how many candles went unscored and why.
    func testScoreRecoversFromAnExtremeCandleAndCountsTheUnscored() throws {
        let artifact = try build()
        var lines = try String(contentsOfFile: Self.candles, encoding: .utf8).split(separator: "\n").map(String.init)
        let fields = lines[1000].split(separator: ",")
        lines[1000] = ([fields[0]] + Array(repeating: "1e160", count: 4) + [fields[5]]).joined(separator: ",")
        let extreme = path("extreme.csv")
        try (lines.joined(separator: "\n") + "\n").write(toFile: extreme, atomically: true, encoding: .utf8)
        let clean = try CLIRunner.run(["score", artifact, Self.candles, "-o", path("clean.csv")])
        let hit = try CLIRunner.run(["score", artifact, extreme, "-o", path("extreme-scores.csv")])
        XCTAssertEqual(hit.status, 0, hit.stderr)
        func count(_ text: String, _ pattern: String) throws -> Int {
            let match = try XCTUnwrap(text.range(of: pattern, options: .regularExpression), text)
            return Int(text[match].prefix { $0.isNumber })!
        }
        let warmup = try count(clean.stdout, "[0-9]+ in the warm-up at the start")
        XCTAssertTrue(clean.stdout.contains("\(warmup) unscored: \(warmup) in the warm-up at the start, 0 in a warm-up after a gap, 0 past"), clean.stdout)
        // The extreme candle's row, then one warm-up of the run that starts after it.
        XCTAssertTrue(hit.stdout.contains("\(2 * warmup + 1) unscored: \(warmup) in the warm-up at the start, 0 in a warm-up after a gap, "
                                          + "\(warmup + 1) past the warm-up"), hit.stdout)
        XCTAssertTrue(hit.stderr.contains("warning: \(extreme): \(warmup + 1) candles past the warm-up got no score"), hit.stderr)
    }

    /// The documented gates work on a built artifact; a short or misspelt name gets a few near
    /// matches, not the card's ~180 names.
    func testPromotionGatesUseTheCardsMetricNames() throws {
        let artifact = try build()
        let reg = ["--registry", path("registry")]
        for _ in 0..<2 { XCTAssertEqual(try CLIRunner.run(["registry", "push", artifact, "--name", "eth"] + reg).status, 0) }

        var r = try CLIRunner.run(["registry", "promote", "eth", "1", "--to", "production", "--require", "holdout/long/blend.auc>=0",
                                   "--require", "long/blend.brier<=1"] + reg)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("pass  holdout/long/blend.auc = "), r.stdout)

        // Version 2 has the same metrics: the default --better-on metric exists and is not better.
        r = try CLIRunner.run(["registry", "promote", "eth", "2", "--to", "production", "--require-better-than", "production"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("FAIL  long/blend.auc = ") && r.stdout.contains("of eth@production (eth@1)"), r.stdout)

        r = try CLIRunner.run(["registry", "promote", "eth", "2", "--to", "production", "--require", "blend.auc>=0.55"] + reg)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.contains("eth@2 has no metric blend.auc; did you mean long/blend.auc,"),
                      r.stdout)
        r = try CLIRunner.run(["registry", "promote", "eth", "2", "--to", "production", "--require", "long/blend.acu>=0.55"] + reg)
        XCTAssertTrue(r.stdout.contains("did you mean long/blend.auc"), r.stdout)
        XCTAssertLessThan(r.stdout.count, 400, r.stdout)
    }

    /// `features` names a refused candle as `data check` does: row, line and ISO time.
    func testFeatureErrorsGiveISOTimes() throws {
        let csv = path("bad.csv")
        try "timestamp,open,high,low,close,volume\n2025-01-01T00:00:00Z,1,2,0.5,1.5,3\n2025-01-01T01:00:00Z,-1,2,0.5,1.5,3\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CLIRunner.run(["features", csv, "-o", path("f.csv")])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(csv): row 2 (line 3), 2025-01-01T01:00:00Z: open must be a finite price > 0"), r.stderr)
    }

    func testComposeTakesTheModelVersionAsModelVersion() throws {
        let r = try CLIRunner.run(["compose", "--long", path("x.modelc"), "--model-version", "banana", "-o", path("c.modelc")])
        XCTAssertEqual(r.status, 64)
        XCTAssertTrue(r.stderr.contains("--model-version: 'banana' is not a semver version"), r.stderr)
    }
}
