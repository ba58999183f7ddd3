import ModelcFormat
import ModelcRuntime

/// The classification metrics of evaluated rows, per target and model: components are named
/// `<target>/<model>` — targets `up` (the trees' direction), `long`, `short`; models `trees`,
/// `network`, `blend` (positive when the blended policy signals that direction, scored by the
/// blended confidence) and `majority` (the training span's base rate, a constant).
enum CardMetrics {
    struct BaseRates {
        var up: Double, long: Double, short: Double
    }

    static func metrics(_ rows: [ScoredRow], blend: BlendSettings, training: BaseRates, prefix: String = "") throws -> [Modelc_Metric] {
        guard !rows.isEmpty else { return [] }
        var out: [Modelc_Metric] = []
        let hasTrees = !rows[0].pUp.isNaN
        func add(_ target: String, _ model: String, _ labels: [Bool], _ scores: [Double], _ predicted: [Bool]) throws {
            out += try ClassifierMetrics.metrics(component: "\(prefix)\(target)/\(model)", labels: labels, scores: scores, predicted: predicted)
        }
        func majority(_ target: String, _ labels: [Bool], _ rate: Double) throws {
            try add(target, "majority", labels, labels.map { _ in rate }, labels.map { _ in rate >= 0.5 })
        }
        if hasTrees {
            let labels = rows.map(\.up), p = rows.map(\.pUp)
            try add("up", "trees", labels, p, p.map { $0 >= 0.5 })
            try majority("up", labels, training.up)
        }
        for (target, isLong) in [("long", true), ("short", false)] {
            let labels = rows.map { isLong ? $0.long : $0.short }
            let trees = rows.map { isLong ? $0.pUp : 1 - $0.pUp }
            let network = rows.map { isLong ? $0.pLong : $0.pShort }
            let hasNetwork = !network[0].isNaN
            guard hasTrees || hasNetwork else { continue }
            if hasTrees { try add(target, "trees", labels, trees, trees.map { $0 >= 0.5 }) }
            if hasNetwork { try add(target, "network", labels, network, network.map { $0 >= 0.5 }) }
            let blended = rows.indices.map { i -> Double in
                let d = hasTrees ? trees[i] : network[i], s = hasNetwork ? network[i] : d
                return (blend.treeWeight * d + blend.networkWeight * s) / (blend.treeWeight + blend.networkWeight)
            }
            try add(target, "blend", labels, blended, rows.map { $0.signal == (isLong ? .long : .short) })
            try majority(target, labels, isLong ? training.long : training.short)
        }
        return out
    }

    static func calibration(_ rows: [ScoredRow]) -> [Modelc_CalibrationBin] {
        var out: [Modelc_CalibrationBin] = []
        for (name, labels, scores) in [("direction", rows.map(\.up), rows.map(\.pUp)), ("long", rows.map(\.long), rows.map(\.pLong)),
                                       ("short", rows.map(\.short), rows.map(\.pShort))] where scores.contains(where: { !$0.isNaN }) {
            out += ClassifierMetrics.calibration(component: name, labels: labels, scores: scores)
        }
        return out
    }

    /// A backtest's summary as metrics named after its fields, for tables across windows.
    static func backtest(_ b: Modelc_Backtest, component: String) -> [Modelc_Metric] {
        [("sharpe", b.sharpe), ("total_return", b.totalReturn), ("max_drawdown", b.maxDrawdown), ("win_rate", b.winRate),
         ("trades", Double(b.trades)), ("exposure", b.exposure)].map { ClassifierMetrics.metric($0.0, component, $0.1) }
    }
}
