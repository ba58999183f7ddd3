import ModelcRuntime

/// Forward-return label settings. The defaults are the trading setup the models are built for:
/// a 4-candle horizon, LONG from +1 %, SHORT from -1.5 % (a crash is rarer and costlier to miss
/// than a rally, so its bar is higher).
public struct LabelConfig: Sendable, Equatable {
    /// Candles between the decision candle t and the candle t+H whose close settles the label.
    public var horizon: Int
    /// LONG is positive when close[t+H] / close[t] - 1 >= longThreshold (a fraction: 0.01 = 1 %).
    public var longThreshold: Double
    /// SHORT is positive when close[t+H] / close[t] - 1 <= shortThreshold (negative: -0.015).
    public var shortThreshold: Double

    public init(horizon: Int = 4, longThreshold: Double = 0.01, shortThreshold: Double = -0.015) {
        self.horizon = horizon
        self.longThreshold = longThreshold
        self.shortThreshold = shortThreshold
    }

    /// Refuses settings that would make every label trivially one class.
    public func validate() throws(ModelcError) {
        guard horizon >= 1 else {
            throw ModelcError(.invalidArgument, "label horizon must be at least 1 candle, got \(horizon)")
        }
        guard longThreshold.isFinite, longThreshold > 0 else {
            throw ModelcError(.invalidArgument, "LONG threshold must be a positive fraction (0.01 = +1 %), got \(longThreshold)")
        }
        guard shortThreshold.isFinite, shortThreshold < 0, shortThreshold > -1 else {
            throw ModelcError(
                .invalidArgument, "SHORT threshold must be a negative fraction above -1 (-0.015 = -1.5 %), got \(shortThreshold)")
        }
    }
}
