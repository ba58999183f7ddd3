/// One thing wrong with one row of a candle file, with where to find it: the 1-based data row,
/// the 1-based line of a CSV file (the header is line 1) and the row's timestamp when it could
/// be read.
public struct CandleProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// What is wrong. A row can have several problems; each kind is counted separately.
    public enum Kind: String, Sendable, Codable, CaseIterable, Comparable {
        /// The row could not be read: wrong field count, a field that is not a number or a
        /// timestamp, an empty line between rows.
        case malformedRow = "malformed-row"
        /// The timestamp is earlier than the previous row's.
        case unsorted
        /// The timestamp equals the previous row's.
        case duplicate
        /// The timestamp is not a whole number of intervals from 1970-01-01T00:00:00Z.
        case offGrid = "off-grid"
        /// A price or the volume is NaN or infinite.
        case nonFinite = "non-finite"
        /// open, high, low or close is zero or negative.
        case nonPositivePrice = "non-positive-price"
        case negativeVolume = "negative-volume"
        case highBelowLow = "high-below-low"
        /// open lies outside [low, high].
        case openOutsideRange = "open-outside-range"
        /// close lies outside [low, high].
        case closeOutsideRange = "close-outside-range"

        public static func < (a: Kind, b: Kind) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public let kind: Kind
    /// 1-based data row (the first row after a CSV header is row 1).
    public let row: Int
    /// 1-based line in a CSV file; nil for HDF5.
    public let line: Int?
    /// The row's timestamp in unix seconds, when it could be read.
    public let timestamp: Int64?
    /// What is wrong, with the values involved.
    public let message: String

    public init(kind: Kind, row: Int, line: Int?, timestamp: Int64?, message: String) {
        self.kind = kind
        self.row = row
        self.line = line
        self.timestamp = timestamp
        self.message = message
    }

    /// `row 5 (line 6), 2017-08-17T08:00:00Z: high 4300 is below low 4310`
    public var description: String {
        "\(Self.place(row: row, line: line, timestamp: timestamp)): \(message)"
    }

    /// `row 5 (line 6), 2017-08-17T08:00:00Z`: how every message points at a row.
    public static func place(row: Int, line: Int?, timestamp: Int64?) -> String {
        var place = "row \(row)"
        if let line { place += " (line \(line))" }
        if let timestamp { place += ", \(UTCTime.iso8601(timestamp))" }
        return place
    }
}

/// Every problem counted by kind, the first `capacity` of them (in row order) kept, so that a
/// file with a million bad rows still gives a short, complete-in-counts report.
public struct ProblemLog: Sendable {
    public static let defaultCapacity = 1000

    public let capacity: Int
    /// The first problems in row order, at most `capacity`.
    public private(set) var problems: [CandleProblem] = []
    /// How many problems of each kind the file has, kept or not.
    public private(set) var counts: [CandleProblem.Kind: Int] = [:]
    /// How many problems the file has in all.
    public private(set) var total = 0

    public init(capacity: Int = ProblemLog.defaultCapacity) {
        self.capacity = capacity
    }

    /// Adds a problem; callers add in row order.
    mutating func add(_ problem: CandleProblem) {
        total += 1
        counts[problem.kind, default: 0] += 1
        if problems.count < capacity { problems.append(problem) }
    }

    /// Both logs' counts, and the first `capacity` problems of both in row order. Each log
    /// keeps its own first problems, so the merged first `capacity` are exact.
    func merged(with other: ProblemLog) -> ProblemLog {
        var log = ProblemLog(capacity: capacity)
        log.total = total + other.total
        log.counts = counts.merging(other.counts, uniquingKeysWith: +)
        log.problems = Array((problems + other.problems).sorted { ($0.row, $0.kind) < ($1.row, $1.kind) }.prefix(capacity))
        return log
    }
}
