import ModelcFormat
import ModelcRuntime

/// The classification metrics of evaluated rows, per target and model (Spec.md §14.3):
/// components are named `<target>/<model>` — targets `long`, `short` (and `up` for a direction
/// model); models `majority` (the training span's base rate, a constant), `reference` (the plain
/// tree model), `trees`, `network` and `blend` (the probability the policy acts on, p_long /
/// p_short; its positives are the rows where the policy signals that direction).
enum CardMetrics {
    struct BaseRates {
        var up: Double, long: Double, short: Double
    }

    static func metrics(_ rows: [ScoredRow], components names: [String], blend: BlendDefinition, signals: [Signal],
                        training: BaseRates, prefix: String = "") throws -> [Modelc_Metric] {
        guard !rows.isEmpty else { return [] }
        var out: [Modelc_Metric] = []
        func add(_ target: String, _ model: String, _ labels: [Bool], _ scores: [Double], _ predicted: [Bool], base: Double) throws {
            out += try ClassifierMetrics.metrics(component: "\(prefix)\(target)/\(model)", labels: labels, scores: scores, predicted: predicted,
                                                 baseRate: base)
        }
        func index(_ slot: ComponentSlot) -> Int? { names.firstIndex(of: slot.rawValue) }
        if let d = index(.direction) {
            let labels = rows.map(\.up), p = rows.map { $0.p[d] }
            try add("up", "majority", labels, labels.map { _ in training.up }, labels.map { _ in training.up >= 0.5 }, base: training.up)
            try add("up", "trees", labels, p, p.map { $0 >= 0.5 }, base: training.up)
        }
        for (target, isLong) in [("long", true), ("short", false)] {
            let labels = rows.map { isLong ? $0.long : $0.short }
            let base = isLong ? training.long : training.short
            try add(target, "majority", labels, labels.map { _ in base }, labels.map { _ in base >= 0.5 }, base: base)
            let reference = rows.map { isLong ? $0.referenceLong : $0.referenceShort }
            if !reference.contains(where: \.isNaN) { try add(target, "reference", labels, reference, reference.map { $0 >= 0.5 }, base: base) }
            var trees: [Double]?
            if let t = index(isLong ? .longTrees : .shortTrees) { trees = rows.map { $0.p[t] } }
            else if let d = index(.direction) { trees = rows.map { isLong ? $0.p[d] : 1 - $0.p[d] } }
            if let trees { try add(target, "trees", labels, trees, trees.map { $0 >= 0.5 }, base: base) }
            let network = index(isLong ? .long : .short).map { n in rows.map { $0.p[n] } }
            if let network { try add(target, "network", labels, network, network.map { $0 >= 0.5 }, base: base) }
            let blended = rows.map { r -> Double in
                let reading = blend.read(r.p)
                if blend.mode == .specialists { return isLong ? reading.pLong : reading.pShort }
                // The direction blend's confidence of this direction (Spec.md §4.6.1 steps 2–5).
                let d = trees.map { _ in isLong ? reading.pUp : 1 - reading.pUp }
                let s = isLong ? reading.pLong : reading.pShort
                let dd = d ?? s, ss = s.isNaN ? dd : s
                return (blend.treeWeight * dd + blend.networkWeight * ss) / (blend.treeWeight + blend.networkWeight)
            }
            if !blended.contains(where: \.isNaN) {
                try add(target, "blend", labels, blended, signals.map { $0 == (isLong ? .long : .short) }, base: base)
            }
        }
        return out
    }

    /// Ten-bin reliability of every component over the rows, before (`<name> raw`) and after
    /// calibration (`<name>`).
    static func calibration(_ rows: [ScoredRow], components names: [String]) -> [Modelc_CalibrationBin] {
        var out: [Modelc_CalibrationBin] = []
        for (i, name) in names.enumerated() {
            let slot = ComponentSlot(rawValue: name)
            let labels = rows.map { r -> Bool in
                switch slot?.target {
                case "long": return r.long
                case "short": return r.short
                default: return r.up
                }
            }
            out += ClassifierMetrics.calibration(component: "\(name) raw", labels: labels, scores: rows.map { $0.raw[i] })
            out += ClassifierMetrics.calibration(component: name, labels: labels, scores: rows.map { $0.p[i] })
        }
        return out
    }

    /// A backtest's summary as metrics named after its fields, for tables across windows.
    static func backtest(_ b: Modelc_Backtest, component: String) -> [Modelc_Metric] {
        [("sharpe", b.sharpe), ("total_return", b.totalReturn), ("max_drawdown", b.maxDrawdown), ("win_rate", b.winRate),
         ("trades", Double(b.trades)), ("exposure", b.exposure)].map { ClassifierMetrics.metric($0.0, component, $0.1) }
    }
}
