/// The rows of one symbol as walk-forward splitting sees them: when each candle opened and
/// whether it has a label. Several series (symbols) are split by the same time boundaries.
public struct LabelledSeries: Sendable {
    /// Names the series in error messages, e.g. `BTCUSDT`.
    public var name: String
    /// Open time of each row in unix seconds, strictly increasing.
    public var timestamps: [Int64]
    /// Whether each row has a label (e.g. `ForwardLabels.isLabelled`); only labelled rows are
    /// handed out for training or testing.
    public var labelled: [Bool]

    public init(name: String, timestamps: [Int64], labelled: [Bool]) {
        self.name = name
        self.timestamps = timestamps
        self.labelled = labelled
    }
}

/// One row of one series in a pooled split.
public struct RowRef: Hashable, Sendable {
    /// Index into the series array given to the split.
    public var series: Int
    /// Row index inside that series.
    public var row: Int

    public init(series: Int, row: Int) {
        self.series = series
        self.row = row
    }
}
