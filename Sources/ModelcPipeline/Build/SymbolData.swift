import Foundation
import ModelcData
import ModelcRuntime
import ModelcTraining

/// One candle file, read, featurised and labelled: everything the build knows about a symbol.
/// Rows are feature rows (candles past the warm-up); labels are per row.
struct SymbolData {
    let name: String
    let file: String
    let candles: [Candle]
    let rows: FeatureRows
    /// Open time of each row's candle.
    let timestamps: [Int64]
    /// Strict rise over the horizon (the trees' target), LONG and SHORT labels; nil: no label.
    let up: [Bool?]
    let long: [Bool?]
    let short: [Bool?]
    /// Rows that are labelled, inside the configured date range, and late enough in their run
    /// that every network has a full window of finite rows: the rows training and evaluation use.
    let usable: [Bool]
    let interval: Int64
    /// SHA-256 of the candle file's bytes: what build task keys name the data by (not its path).
    let digest: String

    static func load(file: String, config: BuildConfig, layout: FeatureLayout, computer: FeatureComputer) throws -> SymbolData {
        let loaded = try CandleLoader.load(path: file, interval: config.data.interval)
        let candles = loaded.candles
        let rows = try computer(candles, layout.union, loaded.interval, config.warmup)
        guard rows.columns == layout.union.count, rows.values.count == rows.count * rows.columns else {
            throw BuildConfigError("\(file): the feature computer returned \(rows.columns) columns, \(layout.union.count) expected")
        }
        let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        // One pass gives `up` (it depends on the horizon only) and the forward LONG / SHORT labels.
        let forward = try ForwardLabels(candles: candles, interval: loaded.interval, config: config.labels.forward, series: name)
        var long = forward.long
        var short = forward.short
        if config.labels.kind == .tripleBarrier {
            // The barriers sit at multiples of ATR in price units: the atr_14 feature times close.
            let atrFeature = FeatureCatalog.base.first { $0.kind == .atr }!
            let atrRows = try FeatureRows.runtime(candles, features: [atrFeature], interval: loaded.interval, warmup: config.warmup)
            var atr = [Double](repeating: .nan, count: candles.count)
            for (r, c) in atrRows.candleIndices.enumerated() { atr[c] = atrRows.values[r] * candles[c].close }
            let barrier = try TripleBarrierLabels(candles: candles, atr: atr, interval: loaded.interval,
                                                  config: config.labels.tripleBarrier, series: name)
            long = barrier.longPositive
            short = barrier.shortPositive
        }
        let window = max(config.long.enabled ? config.long.sequenceLength : 1, config.short.enabled ? config.short.sequenceLength : 1)
        let timestamps = rows.candleIndices.map { candles[$0].timestamp }
        var usable = [Bool](repeating: false, count: rows.count)
        var finiteRun = 0  // consecutive rows with every value finite (the runtime restarts a window at any other)
        for r in 0..<rows.count {
            let c = rows.candleIndices[r], t = timestamps[r]
            let finite = rows.values[(r * rows.columns)..<((r + 1) * rows.columns)].allSatisfy(\.isFinite)
            finiteRun = finite && r > 0 && rows.positionsInRun[r] == rows.positionsInRun[r - 1] + 1 ? finiteRun + 1 : (finite ? 1 : 0)
            usable[r] = forward.up[c] != nil && long[c] != nil && short[c] != nil
                && rows.positionsInRun[r] >= config.warmup + window - 1 && finiteRun >= window
                && t >= config.data.from ?? .min && t < config.data.to ?? .max
        }
        return SymbolData(name: name, file: file, candles: candles, rows: rows, timestamps: timestamps,
                          up: rows.candleIndices.map { forward.up[$0] }, long: rows.candleIndices.map { long[$0] },
                          short: rows.candleIndices.map { short[$0] }, usable: usable, interval: loaded.interval,
                          digest: TaskCache.digest(try Data(contentsOf: URL(fileURLWithPath: file))))
    }

    /// The walk-forward view: row times and which rows may be handed out.
    var series: LabelledSeries { LabelledSeries(name: name, timestamps: timestamps, labelled: usable) }

    /// Row `r`'s values of `columns`.
    func values(_ r: Int, _ columns: [Int]) -> [Double] {
        columns.map { rows.values[r * rows.columns + $0] }
    }

    /// The values of `columns` over the `length` rows ending at row `r`, oldest first: the window a
    /// component reads for that row.
    func window(ending r: Int, length: Int, columns: [Int]) -> [Double] {
        (r - length + 1...r).flatMap { values($0, columns) }
    }

    /// Row `r`'s label for a tree target (the row must be usable).
    func label(_ target: TreeTarget, _ r: Int) -> Bool {
        switch target {
        case .long: return long[r]!
        case .short: return short[r]!
        case .direction: return up[r]!
        }
    }

    /// The first row of row `r`'s gap-free run.
    func runStart(_ r: Int, warmup: Int) -> Int { r - (rows.positionsInRun[r] - warmup) }
}
