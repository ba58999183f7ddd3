/// Everything validation found in one candle file: its shape (rows, span, interval, timestamp
/// form), its gaps (reported, never filled) and its problems (counted, the first ones listed).
/// A file is clean when it has no problems; gaps do not make it unclean.
public struct CandleCheckReport: Sendable {
    /// Where the interval came from.
    public enum IntervalSource: String, Sendable, Codable {
        /// Passed by the caller (`--interval`, the model config).
        case given
        /// The HDF5 file's `interval_seconds` attribute.
        case file
        /// The most common difference between consecutive timestamps (ties: the smallest).
        case inferred
    }

    public let file: String
    public let container: CandleTable.Container
    /// How the file was read (`CandleTable.layout`); empty when the container says it all.
    public let layout: String
    public let timestampFormat: TimestampFormat
    /// HDF5 attributes (empty for CSV).
    public let metadata: CandleMetadata
    /// Data rows in the file, readable or not.
    public let rows: Int
    /// The first and last readable rows' timestamps (file order).
    public let first: Int64?
    public let last: Int64?
    /// Seconds between candles; nil only when none was given and fewer than two readable rows
    /// have increasing timestamps.
    public let interval: Int64?
    public let intervalSource: IntervalSource?
    /// The most common step between consecutive timestamps, whatever the interval's source:
    /// when it differs from a given interval, the interval is probably wrong.
    public let mostCommonStep: Int64?
    /// Every gap, in file order.
    public let gaps: [CandleGap]
    /// Candles with zero volume (exchange outages often leave flat zero-volume candles).
    public let zeroVolumeCandles: Int
    /// Malformed rows and validation problems together, in row order.
    public let problems: ProblemLog

    public var isClean: Bool { problems.total == 0 }

    /// Candles missing in all gaps together.
    public var missingCandles: Int64 {
        gaps.reduce(0) { sum, gap in
            let (total, overflow) = sum.addingReportingOverflow(gap.missing)
            return overflow ? .max : total
        }
    }

    /// The `count` largest gaps, largest first (earlier first among equals).
    public func largestGaps(_ count: Int) -> [CandleGap] {
        Array(gaps.sorted { ($1.missing, $0.start) < ($0.missing, $1.start) }.prefix(count))
    }
}

/// Missing candles between two consecutive rows: reported for the user and split on by
/// `CandleRuns`, never interpolated.
public struct CandleGap: Sendable, Equatable, Codable {
    /// Open time of the first missing candle.
    public let start: Int64
    /// Open time of the last missing candle.
    public let end: Int64
    /// How many candles are missing.
    public let missing: Int64
    /// 1-based data row of the candle after the gap.
    public let row: Int

    public init(start: Int64, end: Int64, missing: Int64, row: Int) {
        self.start = start
        self.end = end
        self.missing = missing
        self.row = row
    }
}
