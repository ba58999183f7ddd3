import ModelcData
import ModelcRuntime

/// Which barrier a position opened at close[t] touched first.
public enum BarrierHit: Sendable, Equatable {
    /// The take-profit barrier, `step` candles after t (1...horizon).
    case takeProfit(step: Int)
    /// The stop-loss barrier, `step` candles after t; also when both barriers fall inside one
    /// candle, because the order of the high and the low inside a candle is unknown.
    case stopLoss(step: Int)
    /// Neither barrier within the horizon.
    case timeout

    /// A label is positive only when the trade would have reached its target.
    public var isTakeProfit: Bool {
        if case .takeProfit = self { return true }
        return false
    }
}

/// The optional triple-barrier variant of the LONG / SHORT labels.
///
/// For a LONG at close[t] the take-profit barrier is close[t] + takeProfit·ATR[t] (touched when a
/// later high reaches it) and the stop-loss is close[t] - stopLoss·ATR[t] (a later low reaches
/// it); a SHORT mirrors both. Candles t+1 … t+H are scanned in order. The gap rule is the one of
/// `ForwardLabels`: a row whose H steps are not all gap-free gets no label, nor does a row whose
/// ATR is NaN (warm-up) or 0 (a flat stretch, where both barriers would sit on the entry price).
public struct TripleBarrierLabels: Sendable {
    public let config: TripleBarrierConfig
    public let long: [BarrierHit?]
    public let short: [BarrierHit?]

    /// `atr[t]` is the ATR of candle t in price units (the feature engine's ATR, not divided by
    /// close), one per candle.
    public init(
        candles: [Candle], atr: [Double], interval: Int64, config: TripleBarrierConfig = TripleBarrierConfig(),
        series: String = "candles"
    ) throws(ModelcError) {
        try config.validate()
        guard atr.count == candles.count else {
            throw ModelcError(.invalidArgument, "\(series): \(atr.count) ATR values for \(candles.count) candles")
        }
        let ahead = try RegularRuns.stepsAhead(candles.map(\.timestamp), interval: interval, series: series)
        for (row, c) in candles.enumerated() where !(c.close.isFinite && c.high.isFinite && c.low.isFinite) {
            throw ModelcError(
                .invalidArgument, "\(series): row \(row) (\(UTCTime.iso8601(c.timestamp))) has a non-finite price")
        }
        if let row = atr.firstIndex(where: { $0 < 0 || $0.isInfinite }) {
            throw ModelcError(
                .invalidArgument,
                "\(series): ATR at row \(row) (\(UTCTime.iso8601(candles[row].timestamp))) is \(atr[row]); "
                    + "ATR is NaN (warm-up) or a finite non-negative price distance")
        }
        var long = [BarrierHit?](repeating: nil, count: candles.count)
        var short = [BarrierHit?](repeating: nil, count: candles.count)
        for t in candles.indices where ahead[t] >= config.horizon && atr[t] > 0 {
            let entry = candles[t].close
            let future = candles[(t + 1)...(t + config.horizon)]
            long[t] = Self.firstHit(
                future, reachedProfit: { $0.high >= entry + config.takeProfit * atr[t] },
                reachedStop: { $0.low <= entry - config.stopLoss * atr[t] })
            short[t] = Self.firstHit(
                future, reachedProfit: { $0.low <= entry - config.takeProfit * atr[t] },
                reachedStop: { $0.high >= entry + config.stopLoss * atr[t] })
        }
        self.config = config
        self.long = long
        self.short = short
    }

    /// LONG positive where the take-profit came first; nil where the label is dropped.
    public var longPositive: [Bool?] { long.map { $0?.isTakeProfit } }
    /// SHORT positive where the take-profit came first; nil where the label is dropped.
    public var shortPositive: [Bool?] { short.map { $0?.isTakeProfit } }

    private static func firstHit(
        _ future: ArraySlice<Candle>, reachedProfit: (Candle) -> Bool, reachedStop: (Candle) -> Bool
    ) -> BarrierHit {
        for (step, candle) in future.enumerated() {
            if reachedStop(candle) { return .stopLoss(step: step + 1) }
            if reachedProfit(candle) { return .takeProfit(step: step + 1) }
        }
        return .timeout
    }
}
