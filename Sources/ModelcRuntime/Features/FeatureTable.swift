/// Feature rows for a sequence of candles, row-major, with where each row came from.
public struct FeatureTable: Sendable {
    /// Values per row.
    public let featureCount: Int
    /// rowCount x featureCount values, row after row.
    public internal(set) var values: [Double] = []
    /// For each row, the index of its candle in the input.
    public internal(set) var candleIndices: [Int] = []
    /// For each row, its candle's position in its gap-free run (>= warm-up). A window of T
    /// consecutive gap-free rows ends at row r when positionsInRun[r] >= warmup + T - 1.
    public internal(set) var positionsInRun: [Int] = []

    public var rowCount: Int { candleIndices.count }

    /// Feature `feature` of row `row`.
    public subscript(row: Int, feature: Int) -> Double { values[row * featureCount + feature] }

    /// The values of one row.
    public func row(_ r: Int) -> ArraySlice<Double> { values[r * featureCount ..< (r + 1) * featureCount] }
}

extension FeatureEngine {
    /// The batch API: the streaming engine fed `candles` in order, so its rows are the same
    /// bits a live stream produces. A refused candle is an error naming its index.
    public static func table(_ candles: [Candle], features: [FeatureDefinition], intervalSeconds: Int = 3600,
                             warmup: Int = FeatureCatalog.defaultWarmup) throws(ModelcError) -> FeatureTable {
        var engine = try FeatureEngine(features: features, intervalSeconds: intervalSeconds, warmup: warmup)
        var table = FeatureTable(featureCount: engine.featureCount)
        table.values.reserveCapacity(candles.count * engine.featureCount)
        var row = [Double](repeating: .nan, count: engine.featureCount)
        for (i, candle) in candles.enumerated() {
            let step: FeatureStep
            do {
                step = try engine.push(candle, into: &row)
            } catch {
                throw ModelcError(error.code, "candle \(i), \(error.message)")
            }
            if step.isReady {
                table.values.append(contentsOf: row)
                table.candleIndices.append(i)
                table.positionsInRun.append(step.positionInRun)
            }
        }
        return table
    }
}
