import ModelcFormat
import ModelcRuntime
import ModelcTraining

/// One evaluated row: where it is, its labels, each component's probability before and after
/// calibration (model order), and the reference's probabilities for the LONG and SHORT targets.
struct ScoredRow {
    var series: Int, candle: Int
    var up: Bool, long: Bool, short: Bool
    var raw: [Double]
    var p: [Double]
    var referenceLong = Double.nan, referenceShort = Double.nan
}

/// A compiled model replayed through the runtime over one span of every symbol — the only way
/// the build measures a model, so the card's numbers are what a bot would see. The replay runs
/// without calibrators; `calibrate` then maps each component's probabilities with the runtime's
/// own `Calibrator.apply` (the last step of a component's score, Spec.md §4.9), so one replay
/// serves every calibration and blend the pipeline tries, with the bits a stream would give.
struct SpanEvaluation {
    let components: [String]
    /// The blend the replayed artifact carries (what a stream of it decides with).
    let artifactBlend: BlendDefinition?
    let start: Int64, end: Int64, interval: Int64
    let costs: BacktestCosts
    private(set) var replays: [ReplayedSeries] = []
    /// Per replay, per candle: the calibrated component probabilities (NaN: not scored).
    private(set) var probabilities: [[[Double]]] = []
    /// Usable rows where every component scored.
    private(set) var rows: [ScoredRow] = []
    /// Each component's calibrator (nil: none), as `calibrate` applied them.
    private(set) var calibrators: [Calibrator?] = []

    init(model: LoadedModel, symbols: [SymbolData], start: Int64, end: Int64, costs: BacktestCosts, references: [(target: TreeTarget, forest: TrainedForest)],
         treeColumns: [Int]) throws {
        components = model.components.map(\.name)
        artifactBlend = model.blend
        self.start = start
        self.end = end
        self.costs = costs
        interval = Int64(model.intervalSeconds)
        for (i, s) in symbols.enumerated() {
            let replayed = try ReplayedSeries.replay(model: model, name: s.name, candles: s.candles, start: start, end: end)
            replays.append(replayed)
            var row = 0
            var refs: [RowRef] = []
            for (j, score) in replayed.scores.enumerated() {
                let c = replayed.firstIndex + j
                while row < s.rows.count && s.rows.candleIndices[row] < c { row += 1 }
                guard row < s.rows.count, s.rows.candleIndices[row] == c, s.usable[row],
                      !score.probabilities.contains(where: { $0.isNaN }) else { continue }
                rows.append(ScoredRow(series: i, candle: j, up: s.up[row]!, long: s.long[row]!, short: s.short[row]!,
                                      raw: score.probabilities, p: score.probabilities))
                refs.append(RowRef(series: i, row: row))
            }
            // The reference scores the same rows, in one batch per symbol.
            let first = rows.count - refs.count
            for (target, forest) in references {
                let p = try TrainedTrees.probabilities([forest], rows: refs, symbols: symbols, columns: treeColumns)
                for (k, q) in p.enumerated() {
                    if target == .long { rows[first + k].referenceLong = q } else { rows[first + k].referenceShort = q }
                }
            }
        }
        probabilities = replays.map { $0.scores.map(\.probabilities) }
        buyAndHold = backtest(positions: replays.map { $0.candles.map { _ in 1.0 } })
    }

    /// Maps every component probability through its calibrator (nil: unchanged).
    mutating func calibrate(_ calibrators: [Calibrator?]) {
        self.calibrators = calibrators
        func map(_ p: [Double]) -> [Double] {
            p.indices.map { i in calibrators[i].map { c in c.apply(p[i]) } ?? p[i] }
        }
        probabilities = replays.map { $0.scores.map { map($0.probabilities) } }
        for i in rows.indices { rows[i].p = map(rows[i].raw) }
    }

    /// Per replay, per candle: what a stream of the model with this blend would decide.
    func decisions(_ blend: BlendDefinition) -> [[BlendDecision]] {
        probabilities.map { candles in
            var state = PolicyState()
            return candles.map { state.step(blend.read($0), blend: blend) }
        }
    }

    /// Per replay, per candle: the blend's readings (p_long, p_short of the calibrated components).
    func readings(_ blend: BlendDefinition) -> [[BlendReading]] {
        probabilities.map { $0.map { blend.read($0) } }
    }

    /// The fee-aware backtest of positions (Spec.md §15), one array per replay, and its closed
    /// trades' after-cost returns.
    func detailedBacktest(positions: [[Double]]) -> (summary: Modelc_Backtest, tradeReturns: [Double]) {
        Backtest.detailed(zip(replays, positions).map { Backtest.Series(name: $0.name, candles: $0.candles, positions: $1) },
                          start: start, end: end, costs: costs, interval: interval)
    }

    func backtest(positions: [[Double]]) -> Modelc_Backtest { detailedBacktest(positions: positions).summary }

    /// The backtest of a blend's decisions, and its trades' returns.
    func detailedBacktest(_ blend: BlendDefinition) -> (summary: Modelc_Backtest, tradeReturns: [Double]) {
        detailedBacktest(positions: decisions(blend).map { $0.map { Double($0.signal.rawValue) * $0.size } })
    }

    func backtest(_ blend: BlendDefinition) -> Modelc_Backtest { detailedBacktest(blend).summary }

    /// Buy and hold: long from the first candle of the span to its end.
    private(set) var buyAndHold = Modelc_Backtest()
}
