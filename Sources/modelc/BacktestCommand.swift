import ArgumentParser
import Foundation
import ModelcData
import ModelcFormat
import ModelcPipeline
import ModelcRuntime

/// `modelc backtest`: the blended policy of any artifact over candle files, through the runtime.
struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Backtest an artifact's signals on candle files (fees and slippage per side).",
        discussion: """
            Every candle of each file goes through one runtime stream, as a bot would feed it; candles from --from \
            (inclusive) to --to (exclusive) are traded. Equal capital per file. The build's model card backtest is \
            this command over its holdout span (`modelc inspect` shows the span and costs).
            """
    )

    @Argument(help: "The .modelc artifact.")
    var artifact: String

    @Argument(help: "Candle files (CSV, JSON, feather or HDF5; Spec.md §11), one per symbol.")
    var candles: [String]

    @Option(help: "Fee per side, a fraction (0.001 = 0.1 %).")
    var fee = 0.001

    @Option(help: "Slippage per side, a fraction.")
    var slippage = 0.0

    @Option(help: "First traded candle: UTC date/time (2024-01-31, 2024-01-31T12:00:00Z) or unix seconds.")
    var from: String?

    @Option(help: "End of the span (exclusive), same forms as --from.")
    var to: String?

    @Flag(help: "Print JSON (every number in its shortest form that reads back to the same double).")
    var json = false

    func run() throws {
        let model = try Artifact(path: artifact).loaded
        let start = try from.map { try time($0, "--from") } ?? .min
        let end = try to.map { try time($0, "--to") } ?? .max
        guard start < end else { throw ValidationError("--from must come before --to") }
        var series: [Backtest.Series] = []
        var unscored: [(file: String, why: UnscoredCandles)] = []
        let warmup = try SymbolStream(model: model).warmupCandles
        for file in candles {
            let loaded = try CandleReplay.candles(for: model, file: file)
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let r = try ReplayedSeries.replay(model: model, name: name, candles: loaded.candles, start: start, end: end)
            series.append(Backtest.Series(name: name, candles: r.candles, positions: r.positions))
            unscored.append((file, UnscoredCandles(series: loaded.candles, scores: r.scores, first: r.firstIndex,
                                                   warmupCandles: warmup, interval: Int64(model.intervalSeconds))))
        }
        let b = Backtest.run(series, start: start, end: end, costs: BacktestCosts(fee: fee, slippage: slippage),
                             interval: Int64(model.intervalSeconds))
        if json {
            func g(_ x: Double) -> String { "\(x)" }
            print("""
                {"fee": \(g(b.fee)), "slippage": \(g(b.slippage)), "sharpe": \(g(b.sharpe)), "max_drawdown": \(g(b.maxDrawdown)), \
                "total_return": \(g(b.totalReturn)), "win_rate": \(g(b.winRate)), "trades": \(b.trades), "exposure": \(g(b.exposure)), \
                "candles": \(b.equity.count), "final_equity": \(g(b.equity.last?.equity ?? 1)), \
                "unscored": \(unscored.map(\.why.total).reduce(0, +)), "unscored_past_warmup": \(unscored.map(\.why.pastWarmup).reduce(0, +))}
                """)
        } else {
            print(String(format: "return %+.2f %%  sharpe %.2f  max drawdown %.2f %%  win rate %.1f %%  trades %d  exposure %.1f %%",
                         100 * b.totalReturn, b.sharpe, 100 * b.maxDrawdown, 100 * b.winRate, b.trades, 100 * b.exposure))
            print("over \(b.equity.count) candle times of \(b.symbols.joined(separator: ", ")), fee \(fee), slippage \(slippage) per side")
            for (file, why) in unscored where why.total > 0 { print("  \(file): \(why)") }
        }
        for (file, why) in unscored where why.pastWarmup > 0 {
            FileHandle.standardError.write(Data("warning: \(file): \(why.pastWarmup) candles past the warm-up got no score\n".utf8))
        }
    }

    private func time(_ text: String, _ option: String) throws -> Int64 {
        if let seconds = Int64(text) ?? UTCDate.parse(text) { return seconds }
        throw ValidationError("\(option) '\(text)' is not a UTC date (2024-01-31), time (2024-01-31T12:00:00Z) or unix seconds")
    }
}
