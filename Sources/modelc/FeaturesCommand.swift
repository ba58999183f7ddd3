import ArgumentParser
import Foundation
import ModelcData
import ModelcFiles
import ModelcRuntime

/// Computes feature rows from a candle file, for inspection.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute the feature rows of a candle file (CSV, JSON, feather or HDF5) and write them as CSV.",
        discussion: """
            Input: any candle file `modelc data check` reads (Spec.md §11), in time order. \
            Output: one line per candle \
            that has a row (a gap-free run past its warm-up): the timestamp in ISO-8601 UTC, then \
            one column per feature, printed so that each value reads back to the same bits.
            """
    )

    @Argument(help: "The candle file (CSV, JSON, feather or HDF5; Spec.md §11).")
    var file: String

    @Option(name: .shortAndLong, help: "Where to write the feature CSV.")
    var output: String

    @Option(help: "Feature set: base (19), crash (the 4 crash features) or all (23).")
    var set: String = "all"

    @Option(help: "Candle interval in seconds; any other step between candles starts a new run.")
    var interval: Int = 3600

    @Option(help: "Candles at the start of each gap-free run that yield no row.")
    var warmup: Int = FeatureCatalog.defaultWarmup

    /// The standard sets by name.
    static let sets = ["base": FeatureCatalog.base, "crash": FeatureCatalog.crash, "all": FeatureCatalog.all]

    func validate() throws {
        guard Self.sets[set] != nil else {
            throw ValidationError("--set must be base, crash or all, got '\(set)'")
        }
    }

    @Option(help: ArgumentHelp("Also time the engine alone over the file this many times (Tools/bench/features.sh).",
                               visibility: .hidden))
    var benchmarkRepeats = 0

    func run() throws {
        let features = Self.sets[set] ?? FeatureCatalog.all
        let table = try CandleLoader.read(path: file)
        if let problem = table.malformed.problems.first {
            throw ModelcError(.invalidArgument, "\(file): \(problem) (modelc data check lists every problem)")
        }
        let candles = table.candles
        let time = ISO8601DateFormatter()
        var engine = try FeatureEngine(features: features, intervalSeconds: interval, warmup: warmup)
        var row = [Double](repeating: .nan, count: engine.featureCount)
        var out = "timestamp," + features.map(\.name).joined(separator: ",") + "\n"
        var rows = 0, gaps = 0
        for (i, candle) in candles.enumerated() {
            let step: FeatureStep
            do {
                step = try engine.push(candle, into: &row)
            } catch {
                // The engine names candles by unix seconds; say the times as `data check` does.
                let at = table.location(of: i)
                var reason = error.message.replacingOccurrences(of: "timestamp \(candle.timestamp): ", with: "")
                if i > 0 { reason = reason.replacingOccurrences(of: "\(candles[i - 1].timestamp)", with: UTCTime.iso8601(candles[i - 1].timestamp)) }
                throw ModelcError(error.code, "\(file): \(CandleProblem.place(row: at.row, line: at.line, timestamp: candle.timestamp)): \(reason)")
            }
            if step.gap != nil { gaps += 1 }
            if step.isReady {
                rows += 1
                out += time.string(from: Date(timeIntervalSince1970: TimeInterval(candle.timestamp)))
                for v in row { out += ",\(v)" }
                out += "\n"
            }
        }
        try AtomicFile.write(Array(out.utf8), to: output)
        print("\(file): \(candles.count) candles, \(gaps) gaps, \(rows) feature rows of \(features.count) -> \(output)")
        if benchmarkRepeats > 0 { try benchmark(candles, features) }
    }

    /// Candles per second of a fresh engine over `candles`, `benchmarkRepeats` times, by the
    /// wall clock and by this thread's CPU time (the two agree on an idle core; on a loaded
    /// machine the CPU-time rate leaves out the time other processes held the core).
    private func benchmark(_ candles: [Candle], _ features: [FeatureDefinition]) throws {
        var wall: [Double] = [], cpu: [Double] = []
        var checksum = 0.0
        for _ in 0..<benchmarkRepeats {
            var engine = try FeatureEngine(features: features, intervalSeconds: interval, warmup: warmup)
            var row = [Double](repeating: 0, count: engine.featureCount)
            let (wall0, cpu0) = (Self.seconds(CLOCK_MONOTONIC), Self.seconds(CLOCK_THREAD_CPUTIME_ID))
            for candle in candles where try engine.push(candle, into: &row).isReady {
                checksum += row[0]
            }
            wall.append(Double(candles.count) / (Self.seconds(CLOCK_MONOTONIC) - wall0))
            cpu.append(Double(candles.count) / (Self.seconds(CLOCK_THREAD_CPUTIME_ID) - cpu0))
        }
        func summary(_ rates: [Double]) -> String {
            let r = rates.sorted().map { String(format: "%.2f", $0 / 1e6) }
            return "min \(r[0]) median \(r[r.count / 2]) max \(r[r.count - 1])"
        }
        print("features: \(features.count), candles: \(candles.count), repeats: \(wall.count) (checksum \(checksum))")
        print("million candles/s by wall clock: \(summary(wall))")
        print("million candles/s by thread CPU time: \(summary(cpu))")
    }

    private static func seconds(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }
}
