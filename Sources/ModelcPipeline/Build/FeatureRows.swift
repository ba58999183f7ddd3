import ModelcRuntime

/// Feature rows of one candle series as the build reads them: row-major values, and for each
/// row the candle it belongs to and its position in its gap-free run.
public struct FeatureRows: Sendable {
    public var columns: Int
    public var values: [Double]
    public var candleIndices: [Int]
    public var positionsInRun: [Int]

    public init(columns: Int, values: [Double], candleIndices: [Int], positionsInRun: [Int]) {
        self.columns = columns
        self.values = values
        self.candleIndices = candleIndices
        self.positionsInRun = positionsInRun
    }

    public var count: Int { candleIndices.count }

    /// The runtime's streaming engine over `candles`: the same rows a bot's stream computes.
    public static func runtime(_ candles: [Candle], features: [FeatureDefinition], interval: Int64, warmup: Int) throws -> FeatureRows {
        let t = try FeatureEngine.table(candles, features: features, intervalSeconds: Int(interval), warmup: warmup)
        return FeatureRows(columns: t.featureCount, values: t.values, candleIndices: t.candleIndices, positionsInRun: t.positionsInRun)
    }
}

/// Computes the feature rows of a candle series (candle interval and warm-up in seconds and
/// candles). The build uses the runtime's engine (`FeatureRows.runtime`); a test can hand in
/// another (say, one that peeks at the future) to prove the leakage check works.
public typealias FeatureComputer = @Sendable (_ candles: [Candle], _ features: [FeatureDefinition], _ interval: Int64, _ warmup: Int)
    throws -> FeatureRows

/// The candle features every component reads, merged into one list, and each component's
/// columns in it.
struct FeatureLayout {
    var union: [FeatureDefinition] = []
    var trees: [Int] = []
    var long: [Int] = []
    var short: [Int] = []

    /// The layout of `config`'s features, placed in `union` first (a search trial reads columns
    /// of the build's union, whose order the symbols' rows were computed in).
    init(_ config: BuildConfig, union given: [FeatureDefinition] = []) {
        var union = given
        func add(_ list: [FeatureDefinition]) -> [Int] {
            list.map { f in
                if let i = union.firstIndex(where: { $0.name == f.name }) { return i }
                union.append(f)
                return union.count - 1
            }
        }
        if config.trees.enabled { trees = add(config.trees.features) }
        if config.long.enabled { long = add(config.long.features) }
        if config.short.enabled { short = add(config.short.features) }
        self.union = union
    }
}
