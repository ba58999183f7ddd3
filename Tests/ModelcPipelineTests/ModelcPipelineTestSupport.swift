import ModelcData
import ModelcRuntime

enum ModelcPipelineTestSupport {
    static func candles(_ path: String) throws -> [Candle] { try CandleLoader.load(path: path).candles }
}
