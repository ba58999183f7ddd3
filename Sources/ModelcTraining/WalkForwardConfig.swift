import ModelcRuntime

/// How the training span moves from one walk-forward window to the next.
public enum WindowScheme: String, Sendable, CaseIterable {
    /// A fixed-length training span that slides forward by `step`.
    case rolling
    /// Training always starts at the origin and grows by `step`.
    case expanding
}

/// Walk-forward geometry. Spans are in seconds of time, not in candles: with gaps in the data a
/// candle count would silently stretch a window over a hole, while time boundaries stay the same
/// for every symbol that is pooled.
public struct WalkForwardConfig: Sendable, Equatable {
    public var scheme: WindowScheme
    /// Length of the (first, for `expanding`) training span, seconds.
    public var trainSpan: Int64
    /// Length of every test span, seconds.
    public var testSpan: Int64
    /// How far each window moves past the previous one, seconds.
    public var step: Int64
    /// Number of windows; nil = as many as the data holds.
    public var count: Int?
    /// Label horizon H, in candles: the purge must cover it.
    public var horizon: Int
    /// Candle interval, seconds.
    public var interval: Int64
    /// Time left out between the end of training and the start of testing, seconds.
    public var purge: Int64
    /// Start of the first training span (unix seconds); nil = the earliest row of any series.
    public var start: Int64?

    /// `step` defaults to `testSpan` (back-to-back test spans) and `purge` to the minimum,
    /// `horizon` candles.
    public init(
        scheme: WindowScheme = .rolling, trainSpan: Int64, testSpan: Int64, step: Int64? = nil, count: Int? = nil,
        horizon: Int = 4, interval: Int64 = 3_600, purge: Int64? = nil, start: Int64? = nil
    ) {
        self.scheme = scheme
        self.trainSpan = trainSpan
        self.testSpan = testSpan
        self.step = step ?? testSpan
        self.count = count
        self.horizon = horizon
        self.interval = interval
        self.purge = purge ?? Int64(horizon) &* interval
        self.start = start
    }

    /// Largest span accepted (about 35,000 years): keeps every boundary sum far from overflow.
    static let maxSpan: Int64 = 1 << 40

    public func validate() throws(ModelcError) {
        guard interval > 0, interval <= Self.maxSpan else {
            throw ModelcError(.invalidArgument, "walk-forward: candle interval must be positive, got \(interval) s")
        }
        guard horizon >= 1, horizon <= 1 << 20 else {
            throw ModelcError(.invalidArgument, "walk-forward: label horizon must be at least 1 candle, got \(horizon)")
        }
        for (name, span) in [("train span", trainSpan), ("test span", testSpan), ("step", step)]
        where span <= 0 || span > Self.maxSpan {
            throw ModelcError(.invalidArgument, "walk-forward: \(name) must be positive (and under 2^40 s), got \(span) s")
        }
        if let count, count < 1 || count > 1 << 20 {
            throw ModelcError(.invalidArgument, "walk-forward: window count must be at least 1, got \(count)")
        }
        if let start, abs(start) > Self.maxSpan {
            throw ModelcError(.invalidArgument, "walk-forward: start \(start) is not a plausible unix time in seconds")
        }
        guard purge <= Self.maxSpan else {
            throw ModelcError(.invalidArgument, "walk-forward: purge must be under 2^40 s, got \(purge) s")
        }
        let minimumPurge = Int64(horizon) * interval
        guard purge >= minimumPurge else {
            throw ModelcError(
                .invalidArgument,
                "walk-forward: purge \(TimeText.span(purge)) is shorter than the label horizon "
                    + "(\(horizon) candles × \(TimeText.span(interval)) = \(TimeText.span(minimumPurge))): "
                    + "the last training labels would see test prices")
        }
    }
}
