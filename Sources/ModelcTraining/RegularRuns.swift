import ModelcData
import ModelcRuntime

/// Where the candle grid is unbroken. A gap is any pair of consecutive candles whose open times
/// differ by anything but the interval; a label or window that would span one is dropped, never
/// guessed, so this is the one place that decides what "gap-free" means.
enum RegularRuns {
    /// For each row t, how many of the following steps t→t+1, t+1→t+2, … are exactly one
    /// interval long before the first gap or the end of the data. A label with horizon H exists
    /// at t exactly when `stepsAhead[t] >= H`.
    static func stepsAhead(_ timestamps: [Int64], interval: Int64, series: String) throws(ModelcError) -> [Int] {
        guard interval > 0 else {
            throw ModelcError(.invalidArgument, "candle interval must be positive, got \(interval) s")
        }
        try requireIncreasing(timestamps, series: series)
        var ahead = [Int](repeating: 0, count: timestamps.count)
        var row = timestamps.count - 2
        while row >= 0 {
            if timestamps[row + 1] - timestamps[row] == interval { ahead[row] = ahead[row + 1] + 1 }
            row -= 1
        }
        return ahead
    }

    /// Refuses timestamps that are not strictly increasing, or not plausible unix seconds (beyond
    /// ±2^40, e.g. milliseconds), naming the first offending row.
    static func requireIncreasing(_ timestamps: [Int64], series: String) throws(ModelcError) {
        if let row = timestamps.firstIndex(where: { abs($0) > WalkForwardConfig.maxSpan }) {
            throw ModelcError(
                .invalidArgument, "\(series): row \(row) has timestamp \(timestamps[row]), not a unix time in seconds")
        }
        for row in timestamps.indices.dropFirst() where timestamps[row] <= timestamps[row - 1] {
            throw ModelcError(
                .invalidArgument,
                "\(series): row \(row) (\(UTCTime.iso8601(timestamps[row]))) is not after row \(row - 1) "
                    + "(\(UTCTime.iso8601(timestamps[row - 1]))): candles must be sorted with unique timestamps")
        }
    }
}
