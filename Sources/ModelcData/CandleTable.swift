import ModelcRuntime

/// The candles read from one file, before validation, with what is needed to point a user at a
/// row: the file, each candle's CSV line, and the rows that could not be read at all.
public struct CandleTable: Sendable {
    /// Whether the candles came from a CSV, a JSON, an HDF5 or an Arrow IPC (feather) file.
    public enum Container: String, Sendable, Codable {
        case csv, json, hdf5, feather
    }

    /// The path the candles were read from, as given.
    public let file: String
    public let container: Container
    /// The rows that could be read, in file order (not sorted, not de-duplicated).
    public var candles: [Candle]
    /// The 1-based CSV line of each candle; empty for JSON, HDF5 and feather, where row `i + 1` is candle `i`.
    public var lines: [Int32]
    /// Lines before the first data row: 1 (a header), 0 for a CSV without one.
    public let headerLines: Int
    /// How the file was read, for reports: which columns, whether it was gzipped; empty when
    /// the container says it all.
    public var layout: String
    /// How the file wrote its timestamps (HDF5: the unit of its int64 unix times).
    public let timestampFormat: TimestampFormat
    /// Data rows in the file, including the ones that could not be read.
    public let rowCount: Int
    /// Rows that could not be read (CSV, JSON and feather); they are not in `candles`.
    public var malformed: ProblemLog
    /// HDF5 attributes; empty for CSV.
    public var metadata: CandleMetadata

    public init(
        file: String, container: Container, candles: [Candle], lines: [Int32], timestampFormat: TimestampFormat,
        rowCount: Int, malformed: ProblemLog = ProblemLog(), metadata: CandleMetadata = CandleMetadata(),
        layout: String = "", headerLines: Int = 1
    ) {
        self.file = file
        self.container = container
        self.candles = candles
        self.lines = lines
        self.timestampFormat = timestampFormat
        self.rowCount = rowCount
        self.malformed = malformed
        self.metadata = metadata
        self.layout = layout
        self.headerLines = headerLines
    }

    /// The 1-based data row and CSV line of candle `index`.
    public func location(of index: Int) -> (row: Int, line: Int?) {
        lines.isEmpty ? (index + 1, nil) : (Int(lines[index]) - headerLines, Int(lines[index]))
    }
}

/// What an HDF5 candle file says about its candles (attributes of the `/candles` group).
public struct CandleMetadata: Sendable, Equatable, Codable {
    /// The market, e.g. `BTCUSDT`; empty when unknown.
    public var symbol: String
    /// The candle interval in seconds; nil when the file does not say.
    public var intervalSeconds: Int64?
    /// Where the candles came from (exchange, download tool, original file); empty when unknown.
    public var source: String

    public init(symbol: String = "", intervalSeconds: Int64? = nil, source: String = "") {
        self.symbol = symbol
        self.intervalSeconds = intervalSeconds
        self.source = source
    }
}
