import ModelcData
import ModelcRuntime

/// Replays a candle file through an artifact exactly as a live bot would: one `SymbolStream`,
/// candles in time order. Backtests, `modelc score` and the model card all use this, so their
/// numbers are the runtime's.
public enum CandleReplay {
    /// Scores every candle of a validated file (a file with problems is refused by the loader).
    public static func scores(model: LoadedModel, candlesFile: String) throws -> (candles: [Candle], scores: [StreamScore]) {
        let loaded = try candles(for: model, file: candlesFile)
        var stream = try SymbolStream(model: model)
        var scores: [StreamScore] = []
        scores.reserveCapacity(loaded.candles.count)
        for candle in loaded.candles { scores.append(try stream.push(candle)) }
        return (loaded.candles, scores)
    }

    /// A validated candle file for `model`, refused when its candles are not the model's
    /// interval apart (4-hour candles for a 1-hour model would all be gaps: nothing scored).
    public static func candles(for model: LoadedModel, file: String) throws -> LoadedCandles {
        let interval = Int64(model.intervalSeconds)
        let loaded = try CandleLoader.load(path: file, interval: interval)
        if let step = loaded.report.mostCommonStep, step != interval {
            throw CandleDataError.interval(file: file, message: "the candles are \(step) seconds apart, but model '\(model.name)' reads "
                + "\(interval)-second candles; give it candles of its interval")
        }
        return loaded
    }
}
