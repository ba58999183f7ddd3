import ModelcFormat

/// Walk-forward windows: their spans and backtests, every metric per window, and one metric
/// charted across windows to show how stable it is.
enum WindowsSection {
    static func render(_ windows: [Modelc_WalkForwardWindow]) -> String {
        guard !windows.isEmpty else { return HTML.section("windows", "Walk-forward windows", [HTML.empty("no windows recorded")]) }
        var parts = [spans(windows)]
        let keys = metricKeys(windows)
        if !keys.isEmpty {
            parts.append(HTML.text("h3", "Metrics per window"))
            parts += metrics(windows)
            parts.append(chart(windows, chosen(keys)))
        }
        return HTML.section("windows", "Walk-forward windows", parts)
    }

    private static func spans(_ windows: [Modelc_WalkForwardWindow]) -> String {
        let rows = windows.map { w -> [String] in
            let span = [ReportFormat.span(w.trainStart, w.trainEnd), ReportFormat.span(w.testStart, w.testEnd)]
            guard w.hasBacktest else { return ["\(w.index)"] + span + Array(repeating: "", count: 6) }
            let b = w.backtest
            return ["\(w.index)"] + span + [ReportFormat.number(b.sharpe), ReportFormat.percent(b.totalReturn),
                                           ReportFormat.percent(b.maxDrawdown), ReportFormat.percent(b.winRate),
                                           "\(b.trades)", ReportFormat.percent(b.exposure)]
        }
        return HTML.table(["window", "train (UTC)", "test (UTC)", "Sharpe", "total return", "max drawdown",
                           "win rate", "trades", "exposure"], rows)
    }

    struct Key: Equatable {
        var component: String
        var name: String
        var label: String { "\(component) \u{00B7} \(name)" }
    }

    private static func metricKeys(_ windows: [Modelc_WalkForwardWindow]) -> [Key] {
        var keys: [Key] = []
        for m in windows.flatMap(\.metrics) {
            let k = Key(component: m.component, name: m.name)
            if !keys.contains(k) { keys.append(k) }
        }
        return keys
    }

    private static func value(_ w: Modelc_WalkForwardWindow, _ k: Key) -> Double? {
        w.metrics.first { $0.component == k.component && $0.name == k.name }?.value
    }

    /// The same per-target tables as the overall metrics, a row per window and model.
    private static func metrics(_ windows: [Modelc_WalkForwardWindow]) -> [String] {
        let labelled = windows.flatMap { w in
            w.metrics.map { m -> Modelc_Metric in
                var m = m
                let (target, model) = MetricTable.split(m.component)
                m.component = (target.map { "\($0)/" } ?? "") + "W\(w.index) \u{00B7} \(model)"
                return m
            }
        }
        return MetricTable.group(labelled).map { $0.html(rowTitle: "window \u{00B7} model") }
    }

    /// The blend's AUC when there is one, otherwise the first metric recorded.
    static func chosen(_ keys: [Key]) -> Key {
        keys.first { $0.name == "auc" && ($0.component == "blend" || $0.component.hasSuffix("/blend")) } ?? keys[0]
    }

    private static func chart(_ windows: [Modelc_WalkForwardWindow], _ k: Key) -> String {
        let points = windows.compactMap { w in value(w, k).map { (Double(w.index), $0) } }
        let indices = windows.map { Double($0.index) }
        let lo = indices.min()!, hi = max(indices.max()!, lo + 1)
        let x = ChartAxis(title: "window", lower: lo - 0.5, upper: hi + 0.5, ticks: indices,
                          label: { "W\(Int($0))" })
        let plot = ChartPlot(x: x, y: .nice(points.map(\.1), title: k.name), width: 520, height: 220)
        let c = ReportFormat.coordinate
        let markers = points.map { "<circle class=\"marker\" cx=\"\(c(plot.px($0.0)))\" cy=\"\(c(plot.py($0.1)))\" r=\"3.5\"/>" }
        return HTML.text("h3", "\(k.label) across windows") + "\n"
            + plot.svg("\(k.label) per window", ["<path class=\"series\" d=\"\(plot.path(points))\"/>"] + markers)
    }
}
