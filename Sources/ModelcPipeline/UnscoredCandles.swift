import ModelcRuntime

/// Why candles of a replay got no score, counted, so `modelc score` and `modelc backtest` never
/// report a handful of scores as if that were all there was (Spec.md §4.7).
public struct UnscoredCandles: Sendable, CustomStringConvertible {
    /// The first `warmupCandles` of the file: expected.
    public private(set) var warmupAtStart = 0
    /// The first `warmupCandles` after a gap: expected where the data has gaps.
    public private(set) var warmupAfterGap = 0
    /// Past the warm-up, yet no score: an extreme candle restarted the features, or the model
    /// gave no number for its inputs.
    public private(set) var pastWarmup = 0

    /// Classifies the unscored among `scores`, the scores of `series[first...]` (candles before
    /// `first` were replayed without scoring, as a backtest does before its span).
    public init(series: [Candle], scores: [StreamScore], first: Int = 0, warmupCandles: Int, interval: Int64) {
        var sinceBreak = 0, sawGap = false
        for i in 0..<(first + scores.count) {
            if i > 0 {
                let (step, overflow) = series[i].timestamp.subtractingReportingOverflow(series[i - 1].timestamp)
                if overflow || step != interval {
                    sinceBreak = 0
                    sawGap = true
                }
            }
            defer { sinceBreak += 1 }
            guard i >= first, !scores[i - first].ready else { continue }
            if sinceBreak >= warmupCandles - 1 {
                pastWarmup += 1
            } else if sawGap {
                warmupAfterGap += 1
            } else {
                warmupAtStart += 1
            }
        }
    }

    public var total: Int { warmupAtStart + warmupAfterGap + pastWarmup }

    public var description: String {
        "\(total) unscored: \(warmupAtStart) in the warm-up at the start, \(warmupAfterGap) in a warm-up after a gap, "
            + "\(pastWarmup) past the warm-up (an extreme candle restarted the features, or the model gave no number)"
    }
}
