import ModelcRuntime

/// The scores of one symbol's candles inside a span, computed by the runtime exactly as a live
/// stream computes them: every candle of the series goes through one `SymbolStream` in order;
/// those before the span only advance it (their scores are not needed), those inside are scored.
public struct ReplayedSeries: Sendable {
    public let name: String
    /// The candles whose open time is inside the span, in order.
    public let candles: [Candle]
    /// One score per candle.
    public let scores: [StreamScore]
    /// Index in the full series of `candles[0]`.
    public let firstIndex: Int

    public static func replay(model: LoadedModel, name: String, candles: [Candle], start: Int64, end: Int64) throws -> ReplayedSeries {
        var stream = try SymbolStream(model: model)
        var inside: [Candle] = []
        var scores: [StreamScore] = []
        var first = candles.count
        for (i, c) in candles.enumerated() {
            if c.timestamp >= end { break }
            if c.timestamp < start {
                try stream.advance(c)
                continue
            }
            if inside.isEmpty { first = i }
            inside.append(c)
            scores.append(try stream.push(c))
        }
        return ReplayedSeries(name: name, candles: inside, scores: scores, firstIndex: first)
    }

    /// The position the blend policy holds after each candle: signal × size, 0 when not ready.
    public var positions: [Double] {
        scores.map { $0.ready ? Double($0.decision.signal.rawValue) * $0.decision.size : 0 }
    }
}
