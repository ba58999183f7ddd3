/// One OHLCV candle. `timestamp` is the candle's open time in unix seconds (UTC); volume is in
/// the base asset. The runtime's feature engine consumes these; the data layer produces them.
public struct Candle: Equatable, Sendable {
    public var timestamp: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    public init(timestamp: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.timestamp = timestamp
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }
}
