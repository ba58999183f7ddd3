import ModelcData
import ModelcRuntime

/// Replays a candle file through an artifact exactly as a live bot would: one `SymbolStream`,
/// candles in time order. Backtests, `modelc score` and the model card all use this, so their
/// numbers are the runtime's.
public enum CandleReplay {
    /// Scores every candle of a validated file (a file with problems is refused by the loader).
    public static func scores(model: LoadedModel, candlesFile: String) throws -> (candles: [Candle], scores: [StreamScore]) {
        let loaded = try CandleLoader.load(path: candlesFile, interval: Int64(model.intervalSeconds))
        var stream = try SymbolStream(model: model)
        var scores: [StreamScore] = []
        scores.reserveCapacity(loaded.candles.count)
        for candle in loaded.candles { scores.append(try stream.push(candle)) }
        return (loaded.candles, scores)
    }
}
