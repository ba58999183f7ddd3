import ArgumentParser
import Foundation
import ModelcFiles
import ModelcFormat
import ModelcPipeline
import ModelcRuntime

/// `modelc score`: replays candle files through an artifact, as a bot would, and writes every score.
struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score every candle of one or more files with an artifact; write the scores as CSV.",
        discussion: """
            Columns: file, timestamp (ISO-8601 UTC), ready, p_up, p_long, p_short (the probabilities the blend acts on), \
            confidence, signal (-1, 0, 1), size, then p_<component> for each component (its own calibrated probability). \
            A candle before the warm-up ends, or too soon after a gap, has ready = 0 and empty probabilities.
            """
    )

    @Argument(help: "The .modelc artifact.")
    var artifact: String

    @Argument(help: "Candle files (CSV, JSON, feather or HDF5; Spec.md §11).")
    var candles: [String]

    @Option(name: .shortAndLong, help: "Where to write the scores (CSV).")
    var output: String

    func run() throws {
        let model = try Artifact(path: artifact).loaded
        var lines = ["file,timestamp,ready,p_up,p_long,p_short,confidence,signal,size"
                     + model.components.map { ",p_\($0.name)" }.joined()]
        var signals = 0, ready = 0
        var unscored: [(file: String, why: UnscoredCandles)] = []
        let time = ISO8601DateFormatter()
        let warmup = try SymbolStream(model: model).warmupCandles
        for file in candles {
            let (series, scores) = try CandleReplay.scores(model: model, candlesFile: file)
            unscored.append((file, UnscoredCandles(series: series, scores: scores, warmupCandles: warmup, interval: Int64(model.intervalSeconds))))
            for s in scores {
                func p(_ v: Double) -> String { v.isNaN ? "" : String(format: "%.17g", v) }
                let when = time.string(from: Date(timeIntervalSince1970: TimeInterval(s.timestamp)))
                lines.append("\(file),\(when),\(s.ready ? 1 : 0),\(p(s.pUp)),\(p(s.pLong)),\(p(s.pShort)),"
                             + "\(p(s.decision.confidence)),\(s.decision.signal.rawValue),\(p(s.decision.size))"
                             + s.probabilities.map { ",\(p($0))" }.joined())
                if s.ready { ready += 1 }
                if s.decision.signal != .flat { signals += 1 }
            }
        }
        try AtomicFile.write(Array((lines.joined(separator: "\n") + "\n").utf8), to: output)
        print("wrote \(output): \(lines.count - 1) candles, \(ready) scored, \(signals) with a long/short signal")
        for (file, why) in unscored where why.total > 0 {
            print("  \(file): \(why)")
            if why.pastWarmup > 0 {
                FileHandle.standardError.write(Data("warning: \(file): \(why.pastWarmup) candles past the warm-up got no score\n".utf8))
            }
        }
    }
}
