import ArgumentParser
import Foundation
import ModelcRuntime

/// Computes feature rows from a candle file, for inspection.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Compute the feature rows of a candle CSV file and write them as CSV.",
        discussion: """
            Input: header timestamp,open,high,low,close,volume; timestamps in ISO-8601 UTC \
            (2024-01-01T05:00:00Z) or unix seconds; in time order. Output: one line per candle \
            that has a row (a gap-free run past its warm-up): the timestamp as in the input, then \
            one column per feature, printed so that each value reads back to the same bits.
            """
    )

    @Argument(help: "The candle CSV file.")
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
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ModelcError(.io, "\(file): cannot read (\(error.localizedDescription))")
        }
        var stamps: [Substring] = [], candles: [Candle] = [], lines: [Int] = []
        for (lineNumber, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.hasSuffix("\r") ? line.dropLast() : line
            if lineNumber == 0 {
                guard line == "timestamp,open,high,low,close,volume" else {
                    throw ModelcError(.invalidArgument,
                        "\(file):1: header must be timestamp,open,high,low,close,volume, got '\(line)'")
                }
                continue
            }
            if line.isEmpty { continue }
            let (stamp, candle) = try CandleLine.parse(line, at: "\(file):\(lineNumber + 1)")
            stamps.append(stamp)
            candles.append(candle)
            lines.append(lineNumber + 1)
        }

        var engine = try FeatureEngine(features: features, intervalSeconds: interval, warmup: warmup)
        var row = [Double](repeating: .nan, count: engine.featureCount)
        var out = "timestamp," + features.map(\.name).joined(separator: ",") + "\n"
        var rows = 0, gaps = 0
        for (i, candle) in candles.enumerated() {
            let step: FeatureStep
            do {
                step = try engine.push(candle, into: &row)
            } catch {
                throw ModelcError(error.code, "\(file):\(lines[i]): \(error.message)")
            }
            if step.gap != nil { gaps += 1 }
            if step.isReady {
                rows += 1
                out += stamps[i]
                for v in row { out += ",\(v)" }
                out += "\n"
            }
        }
        do {
            try out.write(toFile: output, atomically: true, encoding: .utf8)
        } catch {
            throw ModelcError(.io, "\(output): cannot write (\(error.localizedDescription))")
        }
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

/// A deliberately small reader for one candle line, local to this command until the data
/// layer's reader replaces it.
enum CandleLine {
    static func parse(_ line: Substring, at place: String) throws -> (Substring, Candle) {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 6 else {
            throw ModelcError(.invalidArgument, "\(place): expected 6 fields, got \(fields.count)")
        }
        guard let timestamp = unixSeconds(fields[0]) else {
            throw ModelcError(.invalidArgument,
                "\(place): timestamp '\(fields[0])' is neither ISO-8601 UTC (YYYY-MM-DDTHH:MM:SSZ) nor unix seconds")
        }
        let names = ["open", "high", "low", "close", "volume"]
        var values = [Double](repeating: 0, count: 5)
        for i in 0..<5 {
            guard let v = Double(fields[i + 1]) else {
                throw ModelcError(.invalidArgument, "\(place): \(names[i]) '\(fields[i + 1])' is not a number")
            }
            values[i] = v
        }
        let candle = Candle(timestamp: timestamp, open: values[0], high: values[1], low: values[2],
                            close: values[3], volume: values[4])
        return (fields[0], candle)
    }

    /// Unix seconds from "YYYY-MM-DDTHH:MM:SSZ" (or "YYYY-MM-DD HH:MM:SS") or a plain integer.
    static func unixSeconds(_ s: Substring) -> Int64? {
        if let n = Int64(s) { return n }
        let u = Array(s.utf8)
        guard u.count == 19 || (u.count == 20 && u[19] == UInt8(ascii: "Z")),
              u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
              u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":") else { return nil }
        func number(_ from: Int, _ to: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<to {
                guard u[i] >= UInt8(ascii: "0"), u[i] <= UInt8(ascii: "9") else { return nil }
                v = v * 10 + Int64(u[i] - UInt8(ascii: "0"))
            }
            return v
        }
        guard let y = number(0, 4), let m = number(5, 7), let d = number(8, 10),
              let hh = number(11, 13), let mm = number(14, 16), let ss = number(17, 19),
              (1...12).contains(m), (1...31).contains(d), hh < 24, mm < 60, ss < 60 else { return nil }
        // Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86400 + hh * 3600 + mm * 60 + ss
    }
}
