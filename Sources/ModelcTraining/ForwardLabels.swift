import ModelcData
import ModelcRuntime

/// The default labels: what the price did H candles after each candle t.
///
/// Row t gets a label only when the H steps t→t+H are all exactly one interval long (no missing
/// candle) and t+H is inside the data; every other row is absent (`nil`), never filled in.
/// - LONG  = close[t+H] / close[t] - 1 >= longThreshold
/// - SHORT = close[t+H] / close[t] - 1 <= shortThreshold
/// - up (the trees' direction) = close[t+H] > close[t]; an unchanged close is *not up* (0), so
///   p_up estimates the probability of a strict rise.
public struct ForwardLabels: Sendable {
    public let config: LabelConfig
    /// close[t+H] / close[t] - 1 in Double, or nil where the label is dropped.
    public let forwardReturn: [Double?]
    public let long: [Bool?]
    public let short: [Bool?]
    public let up: [Bool?]

    /// Labels every candle of one series. `interval` is the candle spacing in seconds; `series`
    /// names the data in error messages.
    public init(
        candles: [Candle], interval: Int64, config: LabelConfig = LabelConfig(), series: String = "candles"
    ) throws(ModelcError) {
        try config.validate()
        let ahead = try RegularRuns.stepsAhead(candles.map(\.timestamp), interval: interval, series: series)
        for (row, candle) in candles.enumerated() where !(candle.close.isFinite && candle.close > 0) {
            throw ModelcError(
                .invalidArgument,
                "\(series): row \(row) (\(UTCTime.iso8601(candle.timestamp))) has close \(candle.close); "
                    + "labels need a finite positive close")
        }
        let h = config.horizon
        var forwardReturn = [Double?](repeating: nil, count: candles.count)
        var long = [Bool?](repeating: nil, count: candles.count)
        var short = [Bool?](repeating: nil, count: candles.count)
        var up = [Bool?](repeating: nil, count: candles.count)
        for t in candles.indices where ahead[t] >= h {
            let now = candles[t].close
            let later = candles[t + h].close
            let r = later / now - 1
            forwardReturn[t] = r
            long[t] = r >= config.longThreshold
            short[t] = r <= config.shortThreshold
            up[t] = later > now
        }
        self.config = config
        self.forwardReturn = forwardReturn
        self.long = long
        self.short = short
        self.up = up
    }

    /// Which rows have a label: the `labelled` input of a walk-forward split.
    public var isLabelled: [Bool] { forwardReturn.map { $0 != nil } }
}
