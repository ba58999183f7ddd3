import ModelcRuntime

/// The one definition of "gap-free" shared by the trainer and the feature engine's users:
/// features and labels are computed within a run, never across missing candles.
public enum CandleRuns {
    /// Maximal index ranges in which every candle opens exactly `interval` seconds after the
    /// previous one. A gap, a duplicate or a step back ends a run; empty input gives no runs.
    public static func runs(of candles: [Candle], interval: Int64) -> [Range<Int>] {
        guard !candles.isEmpty else { return [] }
        var runs: [Range<Int>] = []
        var start = 0
        for i in 1..<candles.count {
            let previous = candles[i - 1].timestamp
            let follows = interval > 0 && previous <= Int64.max - interval && candles[i].timestamp == previous + interval
            if !follows {
                runs.append(start..<i)
                start = i
            }
        }
        runs.append(start..<candles.count)
        return runs
    }
}
