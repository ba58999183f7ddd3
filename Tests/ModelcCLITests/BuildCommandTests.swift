import Foundation
import ModelcTestSupport
import XCTest

/// `modelc build` then `modelc backtest` through the binary: the backtest command, run on the built
/// artifact over the card's span with the card's costs, prints the card's numbers exactly.
final class BuildCommandTests: XCTestCase {
    func testBacktestCommandReproducesTheModelCard() throws {
        let root = RepositoryPaths.root
        let candles = root.appendingPathComponent("Models/data/ETHUSDT_1h_recent.csv").path
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = dir.appendingPathComponent("eth.yaml")
        try """
            name: eth-cli
            data: {files: [\(candles)], from: 2025-06-01}
            walk_forward: {train: 40d, test: 7d, windows: 1, holdout: 14d}
            trees: {num_trees: 15, num_leaves: 5, early_stopping_rounds: 5}
            networks:
              long: {sequence_length: 6, hidden_size: 4, heads: 1, fc_hidden: 4, epochs: 1}
              short: {enabled: false}
            blend: {entry_threshold: 0.52, veto_threshold: 0.0}
            precision: int8-dynamic
            backtest: {fee: 0.0007, slippage: 0.0003}
            """.write(to: config, atomically: true, encoding: .utf8)
        let artifact = dir.appendingPathComponent("eth.modelc").path
        let build = try CLIRunner.run(["build", config.path, "-o", artifact])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("[5/5] compile"), build.stderr)

        let inspect = try CLIRunner.run(["inspect", "--json", artifact])
        XCTAssertEqual(inspect.status, 0, inspect.stderr)
        let backtest = try XCTUnwrap(inspect.stdout.range(of: #""backtest"\s*:\s*\{[^}]*\}"#, options: .regularExpression))
        let card = numbers(String(inspect.stdout[backtest]))
        let run = try CLIRunner.run([
            "backtest", artifact, candles, "--from", String(Int64(card["start"]!)), "--to", String(Int64(card["end"]!)),
            "--fee", "\(card["fee"]!)", "--slippage", "\(card["slippage"]!)", "--json",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let printed = numbers(run.stdout)
        for key in ["sharpe", "max_drawdown", "total_return", "win_rate", "trades", "exposure", "fee", "slippage"] {
            XCTAssertEqual(printed[key], card[key], key)
        }
        XCTAssertEqual(card["fee"], 0.0007)
        XCTAssertGreaterThan(card["trades"]!, 0)

        let bad = try CLIRunner.run(["build", config.path])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("say where the artifact goes"), bad.stderr)
    }

    /// `"key": number` pairs of JSON text, each number read by Swift's exact `Double(String)`
    /// (Foundation's JSON parser may round the last digit differently).
    private func numbers(_ json: String) -> [String: Double] {
        var out: [String: Double] = [:]
        let pattern = try! NSRegularExpression(pattern: #""([a-z_]+)"\s*:\s*(-?[0-9.eE+-]+)"#)
        for m in pattern.matches(in: json, range: NSRange(json.startIndex..., in: json)) {
            let key = String(json[Range(m.range(at: 1), in: json)!]), value = String(json[Range(m.range(at: 2), in: json)!])
            out[key] = Double(value)
        }
        return out
    }
}
