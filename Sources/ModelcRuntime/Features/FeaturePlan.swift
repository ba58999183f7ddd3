/// One output column: what it computes and where in the storage block its inputs live
/// (`closes`, `returns`, `redVolumes`, `history`: where a series ring starts; the other
/// offsets: where a slot's value is).
enum FeatureOp {
    case logReturn(lag: Int, closes: Int)
    case volatility(window: Int, returns: Int)
    case rsi(value: Int)
    case macd(fast: Int, slow: Int)
    case bollingerWidth(stats: Int, width: Double)  // stats: mean, std; width = 2 k_sigma
    case atr(value: Int)
    case volumeRatio(mean: Int)
    case emaDistance(value: Int)
    case bodyRatio
    case zscore(stats: Int)
    case logVolume
    case hourOfDay
    case dayOfWeek
    case crashVelocity(window: Int, closes: Int)
    case sellPressure(window: Int, redVolumes: Int, mean: Int)
    case rsiMomentum(history: Int, lag: Int)
    case structuralBreakdown(cap: Int)
}

/// An exponential moving average with alpha = 2 / (span + 1), seeded with the first close.
struct EMASlot {
    var span: Int
    var alpha: Double
    var offset = 0  // its value
}

/// A Wilder average of period n over the values from position 1 of a run (RSI: gains and
/// losses; ATR: true ranges), seeded with the mean of the first n values.
struct WilderSlot {
    var period: Int
    var seedOffset = 0  // lanes x period values, kept until the seed is taken
    var averageOffset = 0  // one average per lane
    var valueOffset = 0  // the indicator's current value (RSI on 0...100, or ATR)
    var historySeries: Int?  // a ring of past RSI values, when an RSI momentum reads them
    var historyRing: Int?  // where that ring starts
}

/// A statistic of the last `window` values of a series, computed once per row.
struct WindowSlot {
    var window: Int
    var offset = 0  // mean (then std, for close)
}

/// The per-candle series a feature can read a window of.
enum FeatureSeries { case close, logReturn, volume, redVolume }

/// The layout and work list the engine runs, derived once from the feature definitions: only
/// what the requested features need is kept or computed. Immutable, and shared by every copy
/// of an engine (a class of constants, so that reading it copies and checks nothing).
final class FeaturePlan: Sendable {
    /// The longest window or lag a feature may have.
    static let maxWindow = 10_000

    let ops: [FeatureOp]
    let emas: [EMASlot]
    let rsis: [WilderSlot]
    let atrs: [WilderSlot]
    let closeStats: [WindowSlot]  // mean and std of close
    let volumeMeans: [WindowSlot]
    /// Position in a run from which every feature is defined.
    let firstDefinedPosition: Int
    /// Candles every series ring holds (all rings share one write position).
    let ringCapacity: Int
    // Where each series ring starts, when it is kept (each ring holds every value twice).
    let closeRing: Int?
    let logReturnRing: Int?  // log(c_t / c_{t-1})
    let volumeRing: Int?
    let redVolumeRing: Int?  // the volume of candles with close < open, else 0
    /// The largest structural-breakdown cap (0: lower lows are not counted).
    let lowerLowCap: Int
    /// Room for the squared deviations of the longest window.
    let scratchOffset: Int
    let storageCount: Int

    /// Validates every feature first: a class initialiser that throws leaks its object in
    /// Embedded Swift, so nothing that can fail runs inside `init`.
    static func make(_ features: [FeatureDefinition]) throws(ModelcError) -> FeaturePlan {
        var requests: [FeatureRequest] = []
        for (index, f) in features.enumerated() {
            requests.append(try FeatureRequest(f, index: index))
        }
        return FeaturePlan(requests)
    }

    private init(_ requests: [FeatureRequest]) {
        var b = Builder()
        for r in requests { r.register(in: &b) }
        b.assignOffsets()
        ops = requests.map { $0.resolve(in: b) }
        emas = b.emas
        rsis = b.rsis
        atrs = b.atrs
        closeStats = b.closeStats
        volumeMeans = b.volumeMeans
        firstDefinedPosition = b.firstDefinedPosition
        ringCapacity = b.ringCapacity
        closeRing = b.ring(b.closeSeries)
        logReturnRing = b.ring(b.logReturnSeries)
        volumeRing = b.ring(b.volumeSeries)
        redVolumeRing = b.ring(b.redVolumeSeries)
        lowerLowCap = b.lowerLowCap
        scratchOffset = b.scratchOffset
        storageCount = b.storageCount
    }

    /// Collects what the features need (slots deduplicated), then lays the storage out.
    struct Builder {
        var emas: [EMASlot] = []
        var rsis: [WilderSlot] = []
        var atrs: [WilderSlot] = []
        var closeStats: [WindowSlot] = []
        var volumeMeans: [WindowSlot] = []
        var firstDefinedPosition = 0
        var ringCapacity = 1
        var closeSeries: Int?
        var logReturnSeries: Int?
        var volumeSeries: Int?
        var redVolumeSeries: Int?
        var seriesCount = 0
        var lowerLowCap = 0
        var scratchOffset = 0
        var storageCount = 0

        /// Keeps `series` in a ring at least `depth` candles deep.
        mutating func use(_ series: FeatureSeries, depth: Int) {
            ringCapacity = max(ringCapacity, depth)
            switch series {
            case .close: if closeSeries == nil { closeSeries = newSeries() }
            case .logReturn: if logReturnSeries == nil { logReturnSeries = newSeries() }
            case .volume: if volumeSeries == nil { volumeSeries = newSeries() }
            case .redVolume: if redVolumeSeries == nil { redVolumeSeries = newSeries() }
            }
        }

        /// Where series `i` starts in the storage block.
        func ring(_ series: Int?) -> Int? {
            guard let i = series else { return nil }
            return i * 2 * ringCapacity
        }

        private mutating func newSeries() -> Int {
            seriesCount += 1
            return seriesCount - 1
        }

        mutating func ema(_ span: Int) -> Int {
            if let i = emas.firstIndex(where: { $0.span == span }) { return i }
            emas.append(EMASlot(span: span, alpha: 2.0 / Double(span + 1)))
            return emas.count - 1
        }

        /// The RSI of `period`; `historyDepth` > 0 keeps that many past values in a ring.
        mutating func rsi(_ period: Int, historyDepth: Int = 0) -> Int {
            var i = rsis.firstIndex(where: { $0.period == period }) ?? -1
            if i < 0 {
                rsis.append(WilderSlot(period: period))
                i = rsis.count - 1
            }
            if historyDepth > 0 {
                ringCapacity = max(ringCapacity, historyDepth)
                if rsis[i].historySeries == nil { rsis[i].historySeries = newSeries() }
            }
            return i
        }

        mutating func atr(_ period: Int) -> Int {
            if let i = atrs.firstIndex(where: { $0.period == period }) { return i }
            atrs.append(WilderSlot(period: period))
            return atrs.count - 1
        }

        mutating func closeStat(_ window: Int) -> Int {
            use(.close, depth: window)
            if let i = closeStats.firstIndex(where: { $0.window == window }) { return i }
            closeStats.append(WindowSlot(window: window))
            return closeStats.count - 1
        }

        mutating func volumeMean(_ window: Int) -> Int {
            use(.volume, depth: window)
            if let i = volumeMeans.firstIndex(where: { $0.window == window }) { return i }
            volumeMeans.append(WindowSlot(window: window))
            return volumeMeans.count - 1
        }

        /// Series rings first, then each slot's values, then the scratch row.
        mutating func assignOffsets() {
            var offset = seriesCount * 2 * ringCapacity
            func take(_ n: Int) -> Int {
                defer { offset += n }
                return offset
            }
            for i in emas.indices { emas[i].offset = take(1) }
            for i in rsis.indices {
                rsis[i].historyRing = ring(rsis[i].historySeries)
                rsis[i].seedOffset = take(2 * rsis[i].period)
                rsis[i].averageOffset = take(2)
                rsis[i].valueOffset = take(1)
            }
            for i in atrs.indices {
                atrs[i].seedOffset = take(atrs[i].period)
                atrs[i].averageOffset = take(1)
                atrs[i].valueOffset = take(1)
            }
            for i in closeStats.indices { closeStats[i].offset = take(2) }
            for i in volumeMeans.indices { volumeMeans[i].offset = take(1) }
            scratchOffset = take(ringCapacity)
            storageCount = offset
        }
    }
}
