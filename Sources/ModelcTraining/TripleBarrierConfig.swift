import ModelcRuntime

/// Settings of the optional triple-barrier labels: a take-profit and a stop-loss barrier at
/// multiples of the entry candle's ATR, and a time barrier after `horizon` candles. Barriers
/// scale with volatility, so a quiet market and a wild one get comparable labels.
public struct TripleBarrierConfig: Sendable, Equatable {
    /// The time barrier, in candles after the entry candle t.
    public var horizon: Int
    /// Distance of the take-profit barrier from close[t], in ATR[t] multiples.
    public var takeProfit: Double
    /// Distance of the stop-loss barrier from close[t], in ATR[t] multiples.
    public var stopLoss: Double

    public init(horizon: Int = 4, takeProfit: Double = 2, stopLoss: Double = 1) {
        self.horizon = horizon
        self.takeProfit = takeProfit
        self.stopLoss = stopLoss
    }

    public func validate() throws(ModelcError) {
        guard horizon >= 1 else {
            throw ModelcError(.invalidArgument, "triple-barrier horizon must be at least 1 candle, got \(horizon)")
        }
        guard takeProfit.isFinite, takeProfit > 0, stopLoss.isFinite, stopLoss > 0 else {
            throw ModelcError(
                .invalidArgument,
                "triple-barrier take-profit and stop-loss must be positive ATR multiples, got \(takeProfit) and \(stopLoss)")
        }
    }
}
