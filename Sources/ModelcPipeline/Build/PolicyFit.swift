import ModelcFormat
import ModelcRuntime
import ModelcTraining

/// Fits the specialists blend on the walk-forward out-of-fold replays (Spec.md §14.4) —
/// stacking rather than fixed weights: first each direction's tree share by pooled log loss of
/// the calibrated probabilities, then, per holding time, each direction's entry threshold and veto
/// by the after-cost objective of that direction trading alone. A candidate counts only with at
/// least `minTrades` trades, no losing window and trades whose mean return clears the
/// selection-aware bar of `TradeEvidence`; a direction with none does not trade. "Do not trade" is
/// a legal answer, and the card says why.
struct PolicyFit {
    let settings: BlendSettings
    let horizon: Int
    let windows: [SpanEvaluation]

    struct Result {
        var policy: SpecialistPolicy
        var points: [Modelc_PolicyPoint]
        /// Why a direction does not trade, for the card's notes; empty when both do.
        var abstentions: [String]
    }

    /// One direction trading alone with one entry, veto and hold, as backtested on every window.
    private struct Candidate {
        var point: Modelc_PolicyPoint
        var worstWindow: Double
    }

    /// Entry thresholds tried: these quantiles of the direction's pooled out-of-fold probability.
    static let entryQuantiles = [0.7, 0.8, 0.9, 0.95, 0.975, 0.99]
    /// Vetoes tried: none, and these quantiles of the other direction's probability.
    static let vetoQuantiles = [0.5, 0.75]
    static let treeShares = [0.5, 0.25, 0.75, 0.0, 1.0]

    func fit() throws -> Result {
        var policy = SpecialistPolicy()
        policy.maxPosition = settings.maxPosition
        let names = windows.first?.components ?? []
        let rows = windows.flatMap(\.rows)
        guard !rows.isEmpty else { return Result(policy: policy, points: [], abstentions: ["no out-of-fold rows to fit the policy on"]) }
        policy.longTreeWeight = try share(rows, names, trees: .longTrees, network: .long, label: \.long)
        policy.shortTreeWeight = try share(rows, names, trees: .shortTrees, network: .short, label: \.short)

        // Every candidate first: the bar their trades must clear depends on how many were tried.
        let holds = settings.hold.map { [$0] } ?? (horizon == 1 ? [1] : [1, horizon])
        let byHold = holds.map { hold in
            [true, false].map { isLong in candidates(isLong, policy, hold: hold, names) }
        }
        let all = Array(byHold.joined().joined())
        let bar = TradeEvidence.bar(confidence: settings.confidence, candidates: all.count)

        var best: (objective: Double, policy: SpecialistPolicy, notes: [String])?
        for (hold, directions) in zip(holds, byHold) {
            var candidate = policy
            candidate.hold = hold
            var notes: [String] = [], total = 0.0
            for (isLong, mine) in zip([true, false], directions) {
                switch choose(mine, bar: bar, tried: all.count) {
                case .trade(let point):
                    total += point.objective
                    if isLong { candidate.longEntry = point.entry; candidate.longVeto = point.veto } else { candidate.shortEntry = point.entry; candidate.shortVeto = point.veto }
                case .abstain(let why):
                    notes.append("\(isLong ? "LONG" : "SHORT") does not trade: \(why)")
                }
            }
            if best == nil || total > best!.objective { best = (total, candidate, notes) }
        }
        let chosen = best!.policy
        let points = all.map { c in
            var p = c.point
            let (entry, veto) = p.direction == "long" ? (chosen.longEntry, chosen.longVeto) : (chosen.shortEntry, chosen.shortVeto)
            p.chosen = p.hold == chosen.hold && p.entry == entry && p.veto == veto
            return p
        }
        return Result(policy: chosen, points: points, abstentions: best!.notes)
    }

    private enum Choice {
        case trade(Modelc_PolicyPoint)
        case abstain(String)
    }

    /// The best candidate of one direction at one hold, or why there is none.
    private func choose(_ candidates: [Candidate], bar: Double, tried: Int) -> Choice {
        let enough = candidates.filter { $0.point.trades >= settings.minTrades && $0.worstWindow >= 0 }
        guard let strongest = enough.max(by: { $0.point.tStat < $1.point.tStat }) else {
            return .abstain("no threshold gave \(settings.minTrades) trades without a losing window on the out-of-fold rows")
        }
        let proven = enough.filter { $0.point.tStat >= bar }
        guard let best = proven.max(by: { $0.point.objective < $1.point.objective }) else {
            let confidence = String(format: "%g", settings.confidence * 100)
            return .abstain("no candidate's out-of-fold trades made money with \(confidence) % confidence over the \(tried) candidates tried "
                + "(t ≥ \(String(format: "%.2f", bar)) needed; the best had t = \(String(format: "%.2f", strongest.point.tStat)) "
                + "over \(strongest.point.trades) trades, \(String(format: "%+.3f", strongest.point.meanTrade * 100)) % a trade)")
        }
        guard best.point.objective > 0 else {
            return .abstain("its best out-of-fold \(settings.objective.rawValue) after costs was \(String(format: "%.4f", best.point.objective)), not above 0")
        }
        return .trade(best.point)
    }

    /// The trees' share of a direction: the one whose blend of the calibrated probabilities has
    /// the lowest pooled log loss (1 or 0 when only one of the two components exists).
    private func share(_ rows: [ScoredRow], _ names: [String], trees: ComponentSlot, network: ComponentSlot,
                       label: KeyPath<ScoredRow, Bool>) throws -> Double {
        let t = names.firstIndex(of: trees.rawValue), n = names.firstIndex(of: network.rawValue)
        guard let t, let n else { return t != nil ? 1 : 0 }
        guard !rows.isEmpty else { return 0.5 }
        var best = (loss: Double.infinity, share: 0.5)
        for w in Self.treeShares {
            let loss = try BinaryMetrics.logLoss(labels: rows.map { $0[keyPath: label] }, probabilities: rows.map { w * $0.p[t] + (1 - w) * $0.p[n] })
            if loss < best.loss { best = (loss, w) }
        }
        return best.share
    }

    /// Every entry and veto of one direction trading alone under `policy`'s weights at `hold`.
    private func candidates(_ isLong: Bool, _ policy: SpecialistPolicy, hold: Int, _ names: [String]) -> [Candidate] {
        var alone = policy
        alone.hold = hold
        alone.longEntry = 2; alone.shortEntry = 2; alone.longVeto = 1; alone.shortVeto = 1
        let blend = alone.definition(components: names)
        let readings = windows.map { $0.readings(blend).flatMap { $0 } }.flatMap { $0 }.filter(\.ready)
        let own = readings.map { isLong ? $0.pLong : $0.pShort }.sorted()
        let other = readings.map { isLong ? $0.pShort : $0.pLong }.sorted()
        guard !own.isEmpty, !own[0].isNaN else { return [] }
        func quantile(_ v: [Double], _ q: Double) -> Double { v[min(v.count - 1, Int(q * Double(v.count)))] }
        let entries = Array(Set(Self.entryQuantiles.map { quantile(own, $0) })).sorted()
        let vetoes = [1.0] + (other[0].isNaN ? [] : Array(Set(Self.vetoQuantiles.map { quantile(other, $0) })).sorted())
        return entries.flatMap { entry in
            vetoes.map { veto in
                var p = alone
                if isLong { p.longEntry = entry; p.longVeto = veto } else { p.shortEntry = entry; p.shortVeto = veto }
                let e = evaluate(p.definition(components: names), direction: isLong ? 1 : -1)
                var point = Modelc_PolicyPoint()
                point.direction = isLong ? "long" : "short"
                point.entry = entry
                point.veto = veto
                point.hold = UInt32(hold)
                point.objective = e.objective
                point.trades = UInt32(e.tradeReturns.count)
                (point.meanTrade, point.tStat) = TradeEvidence.tStatistic(e.tradeReturns)
                return Candidate(point: point, worstWindow: e.worst)
            }
        }
    }

    /// The objective, the trades' returns and the worst window of a blend that trades one direction
    /// (+1 LONG, −1 SHORT) over every window: the per-window value's mean less its standard error,
    /// so that a policy must earn across windows, not in one lucky one (a single window counts as it is).
    func evaluate(_ blend: BlendDefinition, direction: Double) -> (objective: Double, tradeReturns: [Double], worst: Double) {
        var values: [Double] = [], tradeReturns: [Double] = []
        for w in windows {
            let (b, r) = w.detailedBacktest(blend)
            tradeReturns += r
            switch settings.objective {
            case .excessReturn: values.append(b.totalReturn - b.exposure * direction * w.buyAndHold.totalReturn)
            case .return: values.append(b.totalReturn)
            case .sharpe: values.append(b.sharpe)
            }
        }
        return (Self.lowerBound(values), tradeReturns, values.min() ?? 0)
    }

    /// mean − sample sd / √n; the value itself for n = 1; 0 for none.
    static func lowerBound(_ v: [Double]) -> Double {
        guard v.count > 1 else { return v.first ?? 0 }
        let n = Double(v.count)
        let mean = v.reduce(0, +) / n
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return mean - (variance / n).squareRoot()
    }
}
