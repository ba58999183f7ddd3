import ArgumentParser
import Foundation
import ModelcData

/// `modelc data`: commands about candle files.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Check candle files (OHLCV CSV, JSON, feather or HDF5) before training on them.",
        subcommands: [DataCheckCommand.self]
    )
}

/// Validates candle files and summarises each: span, interval, gaps, problems.
struct DataCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate candle files and report their gaps and problems.",
        discussion: """
        Reads each FILE (CSV: modelc's header timestamp,open,high,low,close,volume, pandas \
        to_csv, Binance klines; JSON [[time, open, high, low, close, volume], ...] as freqtrade \
        and ccxt write it; either gzipped, as freqtrade's .jsongz; or HDF5 with \
        /candles/timestamp, open, high, low, close, volume) and reports its rows, first and last \
        candle, interval, timestamp form, gaps (missing candles; allowed, never filled in), \
        zero-volume candles and problems (unreadable rows, unsorted or duplicate timestamps, \
        times off the candle grid, non-finite or non-positive prices, negative volume, high below \
        low, open or close outside [low, high]), each with its row, line and timestamp.
        Exit status: 0 when every file is clean (gaps allowed), 1 when any file has problems or \
        cannot be read.
        """
    )

    @Argument(help: "Candle files (CSV, JSON, feather or HDF5; Spec.md §11).")
    var files: [String]

    @Option(help: "Seconds between candles (e.g. 3600). Default: the HDF5 file's interval_seconds, else the most common step.")
    var interval: Int64?

    @Option(help: "How many problems to list per file.")
    var maxProblems = 20

    @Option(help: "How many of the largest gaps to list per file.")
    var maxGaps = 5

    @Flag(help: "Print JSON for scripts instead of text.")
    var json = false

    func validate() throws {
        if let interval, interval <= 0 { throw ValidationError("--interval must be a positive number of seconds, got \(interval)") }
        if maxProblems < 0 || maxGaps < 0 { throw ValidationError("--max-problems and --max-gaps must not be negative") }
    }

    /// One file's outcome: a summary, or the reason it could not be checked.
    struct Outcome: Encodable {
        var file: String
        var clean: Bool
        var summary: CandleCheckSummary?
        var error: String?
    }

    func run() throws {
        let outcomes = files.map { (file: String) -> Outcome in
            do throws(CandleDataError) {
                let report = try CandleLoader.check(path: file, interval: interval, capacity: max(maxProblems, 1))
                let summary = CandleCheckSummary(report, maxGaps: maxGaps, maxProblems: maxProblems)
                return Outcome(file: file, clean: summary.clean, summary: summary)
            } catch {
                return Outcome(file: file, clean: false, error: error.description)
            }
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(outcomes), as: UTF8.self))
        } else {
            print(outcomes.map { $0.summary?.text ?? "\($0.error ?? $0.file)\n  cannot be checked" }.joined(separator: "\n\n"))
        }
        let failed = outcomes.filter { !$0.clean }.map(\.file)
        guard failed.isEmpty else {
            if !json {
                let which = outcomes.count == 1 ? "The file has" : "\(failed.count) of \(outcomes.count) files have"
                FileHandle.standardError.write(Data(("\n\(which) problems or could not be read: fix what is listed above "
                    + "(or regenerate the data), then run `modelc data check` again.\n").utf8))
            }
            throw ExitCode(1)
        }
    }
}
