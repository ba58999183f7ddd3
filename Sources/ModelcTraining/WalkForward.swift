import ModelcData
import ModelcRuntime

/// Purged walk-forward splitting: windows in time order, training strictly before testing with a
/// purge of at least the label horizon in between, so no training label is settled by a price
/// that a test row sees.
///
/// Window k (0-based) with origin O:
/// - rolling:   train [O + k·step, O + trainSpan + k·step)
/// - expanding: train [O,          O + trainSpan + k·step)
/// - both:      test  [trainEnd + purge, trainEnd + purge + testSpan)
///
/// No embargo after the test span is needed: every training row of a window precedes its test
/// span, so no training row follows test data (the case an embargo protects).
public enum WalkForward {
    /// Splits one or more series (symbols) by the same time boundaries.
    public static func split(_ series: [LabelledSeries], config: WalkForwardConfig) throws(ModelcError)
        -> [WalkForwardWindow]
    {
        try config.validate()
        let (origin, dataEnd) = try extent(of: series, config: config)
        let count = try windowCount(origin: origin, dataEnd: dataEnd, config: config)
        var windows: [WalkForwardWindow] = []
        for k in 0..<count {
            let shift = Int64(k) * config.step
            let trainEnd = origin + config.trainSpan + shift
            let trainStart = config.scheme == .rolling ? origin + shift : origin
            let testStart = trainEnd + config.purge
            let testEnd = testStart + config.testSpan
            let window = WalkForwardWindow(
                index: k, trainStart: trainStart, trainEnd: trainEnd, testStart: testStart, testEnd: testEnd,
                train: labelledRows(series, from: trainStart, to: trainEnd),
                test: labelledRows(series, from: testStart, to: testEnd))
            for (side, rows, lo, hi) in [("training", window.train, trainStart, trainEnd), ("test", window.test, testStart, testEnd)]
            where rows.isEmpty {
                throw ModelcError(
                    .invalidArgument,
                    "walk-forward window \(k): no labelled \(side) rows in [\(UTCTime.iso8601(lo)), \(UTCTime.iso8601(hi))); "
                        + "the data has a hole there or the span is shorter than the label horizon")
            }
            windows.append(window)
        }
        return windows
    }

    /// Checks the series and returns the origin and the end of the data (last open time plus one
    /// interval, exclusive).
    private static func extent(of series: [LabelledSeries], config: WalkForwardConfig) throws(ModelcError)
        -> (origin: Int64, end: Int64)
    {
        guard !series.isEmpty else { throw ModelcError(.invalidArgument, "walk-forward: no series to split") }
        for s in series {
            guard s.timestamps.count == s.labelled.count else {
                throw ModelcError(
                    .invalidArgument, "walk-forward: \(s.name) has \(s.timestamps.count) timestamps but \(s.labelled.count) label flags")
            }
            try RegularRuns.requireIncreasing(s.timestamps, series: s.name)
        }
        guard let first = series.compactMap(\.timestamps.first).min(), let last = series.compactMap(\.timestamps.last).max() else {
            throw ModelcError(.invalidArgument, "walk-forward: every series is empty")
        }
        return (config.start ?? first, last + config.interval)
    }

    /// How many windows to make: `config.count`, or all that fit; refuses a count the data cannot
    /// hold and says how much time it would need.
    private static func windowCount(origin: Int64, dataEnd: Int64, config: WalkForwardConfig) throws(ModelcError) -> Int {
        let firstWindow = config.trainSpan + config.purge + config.testSpan
        let available = dataEnd - origin
        let fitting = available < firstWindow ? 0 : Int((available - firstWindow) / config.step) + 1
        let wanted = config.count ?? max(fitting, 1)
        guard wanted > fitting else { return wanted }
        let needed = firstWindow + Int64(wanted - 1) * config.step
        throw ModelcError(
            .invalidArgument,
            "walk-forward: not enough data for \(wanted) window\(wanted == 1 ? "" : "s"): they need "
                + "\(TimeText.span(needed)) (train \(TimeText.span(config.trainSpan)) + purge \(TimeText.span(config.purge)) "
                + "+ test \(TimeText.span(config.testSpan)) + \(wanted - 1) × step \(TimeText.span(config.step))) "
                + "from \(UTCTime.iso8601(origin)), but the last candle closes at \(UTCTime.iso8601(dataEnd)) "
                + "(\(TimeText.span(max(available, 0))) available); \(fitting) window\(fitting == 1 ? "" : "s") fit")
    }

    /// Labelled rows with open time in [from, to), series by series.
    private static func labelledRows(_ series: [LabelledSeries], from: Int64, to: Int64) -> [RowRef] {
        var rows: [RowRef] = []
        for (s, data) in series.enumerated() {
            var row = firstIndex(data.timestamps, notBefore: from)
            while row < data.timestamps.count && data.timestamps[row] < to {
                if data.labelled[row] { rows.append(RowRef(series: s, row: row)) }
                row += 1
            }
        }
        return rows
    }

    /// Binary search: the first index whose timestamp is >= `time`.
    private static func firstIndex(_ timestamps: [Int64], notBefore time: Int64) -> Int {
        var lo = 0
        var hi = timestamps.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if timestamps[mid] < time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
