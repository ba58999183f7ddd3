import ModelcData
import ModelcRuntime

/// The build pipeline's guard against look-ahead: given splits and the label horizon, proves that
/// no training row's label window [t, t+H] reaches into any test row's time. It trusts nothing the
/// splitter computed except the row lists, so a wrong boundary or a too-short purge is caught.
public enum LeakageCheck {
    /// Throws an `invalidArgument` error naming the window, the first offending training row and
    /// the test rows it overlaps. A label window is [open(t), open(t) + H·interval], widened to the
    /// open time of row t+H where that row exists (a gap makes it later); a window's test span is
    /// its [testStart, testEnd), widened to cover every test row's candle [open, open + interval).
    public static func verify(
        _ windows: [WalkForwardWindow], series: [LabelledSeries], horizon: Int, interval: Int64
    ) throws(ModelcError) {
        guard horizon >= 1, horizon <= 1 << 20, interval > 0, interval <= WalkForwardConfig.maxSpan else {
            throw ModelcError(
                .invalidArgument, "leakage check: horizon (\(horizon)) and interval (\(interval) s) must be positive and plausible")
        }
        for window in windows {
            try verify(window, series: series, horizon: horizon, interval: interval)
        }
    }

    private static func verify(
        _ window: WalkForwardWindow, series: [LabelledSeries], horizon: Int, interval: Int64
    ) throws(ModelcError) {
        var testLo = window.testStart
        var testHi = window.testEnd
        var firstTest: (ref: RowRef, open: Int64)?
        for ref in window.test {
            let open = try timestamp(ref, series, window)
            if open < firstTest?.open ?? .max { firstTest = (ref, open) }
            testLo = min(testLo, open)
            testHi = max(testHi, open + interval)
        }
        var overlapping: [RowRef] = []
        for ref in window.train {
            let open = try timestamp(ref, series, window)
            let end = labelEnd(ref, open: open, series: series[ref.series], horizon: horizon, interval: interval)
            if open < testHi && end >= testLo { overlapping.append(ref) }
        }
        guard let bad = overlapping.first else { return }
        let s = series[bad.series]
        let open = s.timestamps[bad.row]
        let end = labelEnd(bad, open: open, series: s, horizon: horizon, interval: interval)
        let testRow = firstTest.map { " (earliest test row: \(series[$0.ref.series].name) row \($0.ref.row))" } ?? ""
        throw ModelcError(
            .invalidArgument,
            "leakage: walk-forward window \(window.index): \(overlapping.count) training row(s) have label windows "
                + "that overlap the test span [\(UTCTime.iso8601(testLo)), \(UTCTime.iso8601(testHi)))\(testRow); first: "
                + "\(s.name) row \(bad.row), label window [\(UTCTime.iso8601(open)), \(UTCTime.iso8601(end))] "
                + "for horizon \(horizon)")
    }

    private static func timestamp(_ ref: RowRef, _ series: [LabelledSeries], _ window: WalkForwardWindow) throws(ModelcError)
        -> Int64
    {
        guard series.indices.contains(ref.series), series[ref.series].timestamps.indices.contains(ref.row) else {
            throw ModelcError(
                .invalidArgument, "leakage check: window \(window.index) names row \(ref.row) of series \(ref.series), which does not exist")
        }
        let open = series[ref.series].timestamps[ref.row]
        guard abs(open) <= WalkForwardConfig.maxSpan else {
            throw ModelcError(
                .invalidArgument, "leakage check: \(series[ref.series].name) row \(ref.row) has timestamp \(open), not a unix time in seconds")
        }
        return open
    }

    /// The last instant the label of this row depends on: the open time of candle t+H.
    private static func labelEnd(_ ref: RowRef, open: Int64, series: LabelledSeries, horizon: Int, interval: Int64) -> Int64 {
        let nominal = open + Int64(horizon) * interval
        let target = ref.row + horizon
        return target < series.timestamps.count ? max(nominal, series.timestamps[target]) : nominal
    }
}
