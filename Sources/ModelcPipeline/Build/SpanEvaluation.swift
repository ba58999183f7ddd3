import ModelcFormat
import ModelcRuntime

/// One evaluated row: the runtime's probabilities and decision, and the row's labels.
struct ScoredRow {
    var up: Bool, long: Bool, short: Bool
    var pUp: Double, pLong: Double, pShort: Double
    var signal: Signal
}

/// A compiled model replayed through the runtime over one span of every symbol — the only
/// way the build measures a model, so the card's numbers are what a bot would see.
struct SpanEvaluation {
    var rows: [ScoredRow] = []
    var backtest = Modelc_Backtest()
    /// Backtests of the blend's parts alone: `trees` (network weight 0) and `network` (tree weight 0).
    var baselines: [(String, Modelc_Backtest)] = []

    init(model: LoadedModel, symbols: [SymbolData], start: Int64, end: Int64, costs: BacktestCosts) throws {
        var series: [ReplayedSeries] = []
        for s in symbols {
            let replayed = try ReplayedSeries.replay(model: model, name: s.name, candles: s.candles, start: start, end: end)
            series.append(replayed)
            var row = 0
            for (j, score) in replayed.scores.enumerated() {
                let c = replayed.firstIndex + j
                while row < s.rows.count && s.rows.candleIndices[row] < c { row += 1 }
                guard row < s.rows.count, s.rows.candleIndices[row] == c, s.usable[row], score.ready else { continue }
                rows.append(ScoredRow(up: s.up[row]!, long: s.long[row]!, short: s.short[row]!, pUp: score.pUp, pLong: score.pLong,
                                      pShort: score.pShort, signal: score.decision.signal))
            }
        }
        let interval = Int64(model.intervalSeconds)
        func run(_ positions: (ReplayedSeries) -> [Double]) -> Modelc_Backtest {
            Backtest.run(series.map { Backtest.Series(name: $0.name, candles: $0.candles, positions: positions($0)) },
                         start: start, end: end, costs: costs, interval: interval)
        }
        backtest = run { $0.positions }
        guard let blend = model.blend, blend.direction != nil, blend.long != nil || blend.short != nil else { return }
        for (name, treeWeight, networkWeight) in [("trees", 1.0, 0.0), ("network", 0.0, 1.0)] {
            var b = blend
            b.treeWeight = treeWeight
            b.networkWeight = networkWeight
            baselines.append((name, run { r in
                r.scores.map { s in
                    guard s.ready else { return 0 }
                    func p(_ v: Double) -> Double? { v.isNaN ? nil : v }
                    let d = b.decide(pUp: p(s.pUp), pLong: p(s.pLong), pShort: p(s.pShort))
                    return Double(d.signal.rawValue) * d.size
                }
            }))
        }
    }
}
