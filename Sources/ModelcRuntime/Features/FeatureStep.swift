/// What pushing one candle into a `FeatureEngine` produced.
public struct FeatureStep: Equatable, Sendable {
    /// True when the candle's feature row was written (the run is past its warm-up).
    public var isReady: Bool
    /// Position of the candle in its gap-free run: 0 for the first candle after a gap.
    public var positionInRun: Int
    /// Set when this candle starts a new run because it does not follow the previous candle
    /// by exactly one interval; the state was reset before this candle was consumed.
    public var gap: FeatureGap?

    public init(isReady: Bool, positionInRun: Int, gap: FeatureGap?) {
        self.isReady = isReady
        self.positionInRun = positionInRun
        self.gap = gap
    }
}

/// A break in the candle sequence: the timestamps of the candles on either side.
public struct FeatureGap: Equatable, Sendable {
    public var previousTimestamp: Int64
    public var timestamp: Int64

    public init(previousTimestamp: Int64, timestamp: Int64) {
        self.previousTimestamp = previousTimestamp
        self.timestamp = timestamp
    }
}
