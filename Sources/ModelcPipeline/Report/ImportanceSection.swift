import ModelcFormat

/// Which features the trees split on, by total gain: a horizontal bar per feature.
enum ImportanceSection {
    static let charted = 30

    static func render(_ importance: [Modelc_FeatureImportance]) -> String {
        guard !importance.isEmpty else {
            return HTML.section("importance", "Feature importance", [HTML.empty("no feature importance recorded")])
        }
        let sorted = importance.sorted { $0.gain != $1.gain ? $0.gain > $1.gain : $0.feature < $1.feature }
        var parts = [chart(Array(sorted.prefix(charted)))]
        if sorted.count > charted { parts.append(HTML.text("p", "The chart shows the top \(charted) of \(sorted.count) features.")) }
        let total = sorted.reduce(0) { $0 + $1.gain }
        parts.append(HTML.table(["feature", "gain", "share", "splits"], sorted.map { f in
            [f.feature, ReportFormat.number(f.gain), total > 0 ? ReportFormat.percent(f.gain / total) : "", "\(f.splits)"]
        }))
        return HTML.section("importance", "Feature importance", parts)
    }

    private static func chart(_ features: [Modelc_FeatureImportance]) -> String {
        let row = 20.0
        var plot = ChartPlot(x: .nice(features.map(\.gain), title: "gain", anchor: 0), y: ChartAxis(
            title: "", lower: 0, upper: Double(features.count), ticks: [], label: { _ in "" }))
        plot.left = 180
        plot.height = plot.top + plot.bottom + row * Double(features.count)
        let c = ReportFormat.coordinate
        let marks = features.enumerated().flatMap { i, f -> [String] in
            let y = plot.top + row * Double(i)
            let x0 = plot.px(0)
            return [
                HTML.element("rect", [("class", "bar"), ("x", c(x0)), ("y", c(y + 3)), ("width", c(max(0, plot.px(f.gain) - x0))),
                                      ("height", c(row - 6))], HTML.text("title", "\(f.feature): \(ReportFormat.number(f.gain))")),
                HTML.text("text", f.feature, [("class", "tick"), ("x", c(plot.left - 6)), ("y", c(y + row / 2 + 4)), ("text-anchor", "end")]),
            ]
        }
        return plot.svg("Feature importance by gain", marks)
    }
}
