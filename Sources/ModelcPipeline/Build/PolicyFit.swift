import ModelcFormat
import ModelcRuntime
import ModelcTraining

/// Fits the specialists blend on the walk-forward out-of-fold replays (Spec.md §14.4) —
/// stacking rather than fixed weights: first each direction's tree share by pooled log loss of
/// the calibrated probabilities, then, per holding time, each direction's entry threshold and veto
/// by the after-cost objective of that direction trading alone, with at least `minTrades` trades.
/// A direction whose best objective is not above zero does not trade; "do not trade" is a legal
/// answer, and the card says so.
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
        policy.longTreeWeight = try share(rows, names, trees: .longTrees, network: .long, label: \.long)
        policy.shortTreeWeight = try share(rows, names, trees: .shortTrees, network: .short, label: \.short)

        var best: (objective: Double, policy: SpecialistPolicy, points: [Modelc_PolicyPoint], notes: [String])?
        for hold in settings.hold.map({ [$0] }) ?? [1, horizon] {
            var candidate = policy
            candidate.hold = hold
            var points: [Modelc_PolicyPoint] = [], notes: [String] = [], total = 0.0
            for isLong in [true, false] {
                let (objective, entry, veto, tried) = direction(isLong, candidate, names)
                points += tried
                if let entry, objective > 0 {
                    total += objective
                    if isLong { candidate.longEntry = entry; candidate.longVeto = veto } else { candidate.shortEntry = entry; candidate.shortVeto = veto }
                } else {
                    let name = isLong ? "LONG" : "SHORT"
                    notes.append(entry == nil
                        ? "\(name) does not trade: no threshold gave \(settings.minTrades) trades without a losing window on the out-of-fold rows"
                        : "\(name) does not trade: its best out-of-fold \(settings.objective.rawValue) after costs was \(String(format: "%.4f", objective)), not above 0")
                }
            }
            if best == nil || total > best!.objective { best = (total, candidate, points, notes) }
        }
        guard var chosen = best else { return Result(policy: policy, points: [], abstentions: ["no out-of-fold rows to fit the policy on"]) }
        for i in chosen.points.indices {
            let p = chosen.points[i]
            let (entry, veto) = p.direction == "long" ? (chosen.policy.longEntry, chosen.policy.longVeto) : (chosen.policy.shortEntry, chosen.policy.shortVeto)
            chosen.points[i].chosen = p.hold == chosen.policy.hold && p.entry == entry && p.veto == veto
        }
        return Result(policy: chosen.policy, points: chosen.points, abstentions: chosen.notes)
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

    /// The best entry and veto of one direction trading alone under `policy`'s weights and hold.
    private func direction(_ isLong: Bool, _ policy: SpecialistPolicy, _ names: [String])
        -> (objective: Double, entry: Double?, veto: Double, tried: [Modelc_PolicyPoint]) {
        var alone = policy
        alone.longEntry = 2; alone.shortEntry = 2; alone.longVeto = 1; alone.shortVeto = 1
        let blend = alone.definition(components: names)
        let readings = windows.map { $0.readings(blend).flatMap { $0 } }.flatMap { $0 }.filter(\.ready)
        let own = readings.map { isLong ? $0.pLong : $0.pShort }.sorted()
        let other = readings.map { isLong ? $0.pShort : $0.pLong }.sorted()
        guard !own.isEmpty, !own[0].isNaN else { return (0, nil, 1, []) }
        func quantile(_ v: [Double], _ q: Double) -> Double { v[min(v.count - 1, Int(q * Double(v.count)))] }
        let entries = Array(Set(Self.entryQuantiles.map { quantile(own, $0) })).sorted()
        let vetoes = [1.0] + (other[0].isNaN ? [] : Array(Set(Self.vetoQuantiles.map { quantile(other, $0) })).sorted())
        var tried: [Modelc_PolicyPoint] = []
        var best: (objective: Double, entry: Double?, veto: Double) = (-.infinity, nil, 1)
        for entry in entries {
            for veto in vetoes {
                var p = alone
                if isLong { p.longEntry = entry; p.longVeto = veto } else { p.shortEntry = entry; p.shortVeto = veto }
                let (objective, trades, worst) = evaluate(p.definition(components: names), direction: isLong ? 1 : -1)
                var point = Modelc_PolicyPoint()
                point.direction = isLong ? "long" : "short"
                point.entry = entry
                point.veto = veto
                point.hold = UInt32(policy.hold)
                point.objective = objective
                point.trades = UInt32(trades)
                tried.append(point)
                // Eligible: enough trades, and no window where it did worse than staying out.
                if trades >= settings.minTrades && worst >= 0 && objective > best.objective { best = (objective, entry, veto) }
            }
        }
        return (best.entry == nil ? 0 : best.objective, best.entry, best.veto, tried)
    }

    /// The objective, the trades and the worst window of a blend that trades one direction (+1
    /// LONG, −1 SHORT) over every window: the per-window value's mean less its standard error, so
    /// that a policy must earn across windows, not in one lucky one (a single window counts as it is).
    func evaluate(_ blend: BlendDefinition, direction: Double) -> (objective: Double, trades: Int, worst: Double) {
        var values: [Double] = [], trades = 0
        for w in windows {
            let b = w.backtest(blend)
            trades += Int(b.trades)
            switch settings.objective {
            case .excessReturn: values.append(b.totalReturn - b.exposure * direction * w.buyAndHold.totalReturn)
            case .return: values.append(b.totalReturn)
            case .sharpe: values.append(b.sharpe)
            }
        }
        return (Self.lowerBound(values), trades, values.min() ?? 0)
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
