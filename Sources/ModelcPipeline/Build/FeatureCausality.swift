import ModelcRuntime
import ModelcData

/// The build's guard against features that read the future. A feature row of candle t must
/// depend on candles up to t only, so recomputing the features on the series cut after some
/// candle must give the same bits for every row before the cut. The check cuts each series at
/// several points and compares; a feature computed with look-ahead fails at the first cut
/// whose following candles it reads.
enum FeatureCausality {
    static let cuts = 4

    static func verify(_ symbol: SymbolData, features: [FeatureDefinition], warmup: Int, computer: FeatureComputer) throws {
        let n = symbol.candles.count
        guard n > 2 * cuts else { return }
        for k in 1...cuts {
            let cut = n * k / (cuts + 1)
            let prefix = try computer(Array(symbol.candles[0..<cut]), features, symbol.interval, warmup)
            let full = symbol.rows
            let shared = full.candleIndices.prefix { $0 < cut }.count
            guard prefix.count == shared else {
                throw ModelcError(.invalidArgument,
                    "leakage: \(symbol.name): cut after candle \(cut) gives \(prefix.count) feature rows before it, the full series \(shared)")
            }
            for r in 0..<shared {
                for f in 0..<full.columns {
                    let a = full.values[r * full.columns + f], b = prefix.values[r * full.columns + f]
                    guard a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) else {
                        let name = f < features.count ? features[f].name : "column \(f)"
                        let at = UTCTime.iso8601(symbol.timestamps[r])
                        throw ModelcError(.invalidArgument,
                            "leakage: feature '\(name)' of \(symbol.name) at \(at) changes when the candles after "
                                + "\(UTCTime.iso8601(symbol.candles[cut - 1].timestamp)) are removed: it reads the future")
                    }
                }
            }
        }
    }
}
