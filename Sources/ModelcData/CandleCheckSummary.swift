/// What `modelc data check` shows about one file, as plain Codable values so the same summary
/// renders as text for people and as JSON for scripts: the largest gaps and the first
/// problems, with all counts. Timestamps appear as ISO-8601 UTC and as unix seconds.
public struct CandleCheckSummary: Codable, Equatable, Sendable {
    public struct Gap: Codable, Equatable, Sendable {
        public var start: String
        public var end: String
        public var startUnix: Int64
        public var endUnix: Int64
        public var missing: Int64
        /// 1-based data row of the candle after the gap.
        public var row: Int
    }

    public struct Problem: Codable, Equatable, Sendable {
        public var kind: String
        public var row: Int
        public var line: Int?
        public var timestamp: String?
        public var timestampUnix: Int64?
        public var message: String
    }

    public var file: String
    public var container: String
    /// How the file was read (which columns, gzip); nil when the container says it all.
    public var layout: String?
    public var timestampFormat: String
    /// HDF5 `symbol` and `source` attributes; nil when absent or empty.
    public var symbol: String?
    public var source: String?
    public var rows: Int
    public var first: String?
    public var last: String?
    public var firstUnix: Int64?
    public var lastUnix: Int64?
    public var intervalSeconds: Int64?
    /// `given`, `file` or `inferred`.
    public var intervalSource: String?
    public var mostCommonStepSeconds: Int64?
    public var gapCount: Int
    public var missingCandles: Int64
    public var largestGaps: [Gap]
    public var zeroVolumeCandles: Int
    public var problemCount: Int
    /// Problems by kind, all of them (listed or not).
    public var problemCounts: [String: Int]
    /// The first problems in row order.
    public var problems: [Problem]
    /// No problems (gaps allowed).
    public var clean: Bool

    public init(_ report: CandleCheckReport, maxGaps: Int = 5, maxProblems: Int = 20) {
        file = report.file
        container = report.container.rawValue
        layout = report.layout.isEmpty ? nil : report.layout
        timestampFormat = report.timestampFormat.rawValue
        symbol = report.metadata.symbol.isEmpty ? nil : report.metadata.symbol
        source = report.metadata.source.isEmpty ? nil : report.metadata.source
        rows = report.rows
        first = report.first.map(UTCTime.iso8601)
        last = report.last.map(UTCTime.iso8601)
        firstUnix = report.first
        lastUnix = report.last
        intervalSeconds = report.interval
        intervalSource = report.intervalSource?.rawValue
        mostCommonStepSeconds = report.mostCommonStep
        gapCount = report.gaps.count
        missingCandles = report.missingCandles
        largestGaps = report.largestGaps(maxGaps).map {
            Gap(start: UTCTime.iso8601($0.start), end: UTCTime.iso8601($0.end), startUnix: $0.start, endUnix: $0.end, missing: $0.missing, row: $0.row)
        }
        zeroVolumeCandles = report.zeroVolumeCandles
        problemCount = report.problems.total
        problemCounts = Dictionary(uniqueKeysWithValues: report.problems.counts.map { ($0.key.rawValue, $0.value) })
        problems = report.problems.problems.prefix(maxProblems).map {
            Problem(kind: $0.kind.rawValue, row: $0.row, line: $0.line, timestamp: $0.timestamp.map(UTCTime.iso8601),
                    timestampUnix: $0.timestamp, message: $0.message)
        }
        clean = report.isClean
    }

    /// Plain text for a terminal, one block per file.
    public var text: String {
        var out = ["\(file): \(rows) rows" + (first.map { ", \($0) .. \(last ?? $0)" } ?? "")]
        let form = TimestampFormat(rawValue: timestampFormat).map { "\($0)" } ?? timestampFormat
        var interval = intervalSeconds.map { "\($0) s (\(intervalSource ?? ""))" } ?? "unknown (fewer than two increasing timestamps; pass --interval)"
        if let step = mostCommonStepSeconds, let seconds = intervalSeconds, step != seconds {
            interval += ", but the most common step is \(step) s"
        }
        out.append("  container \(container)\(layout.map { " (\($0))" } ?? ""), timestamps \(form), interval \(interval)")
        if symbol != nil || source != nil {
            out.append("  symbol \(symbol ?? "-"), source \(source ?? "-")")
        }
        if gapCount == 0 {
            out.append("  gaps: none")
        } else {
            out.append("  gaps: \(gapCount), \(missingCandles) missing candle\(missingCandles == 1 ? "" : "s"); largest:")
            for gap in largestGaps {
                out.append("    \(gap.missing) missing from \(gap.start) through \(gap.end) (resumes at row \(gap.row))")
            }
        }
        out.append("  zero-volume candles: \(zeroVolumeCandles)")
        if clean {
            out.append("  problems: none")
        } else {
            let counts = problemCounts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            out.append("  problems: \(problemCount) (\(counts)); first \(problems.count):")
            for p in problems {
                out.append("    \(p.kind): \(CandleProblem.place(row: p.row, line: p.line, timestamp: p.timestampUnix)): \(p.message)")
            }
        }
        return out.joined(separator: "\n")
    }
}
