import ModelcFormat

/// The parameter search (Spec.md §14.5): every trial's parameters, the windows successive halving
/// let it reach and its pooled out-of-fold AUC, as a table and as a chart of score by trial.
enum SearchSection {
    static func render(_ trials: [Modelc_SearchTrial]) -> String {
        guard !trials.isEmpty else { return HTML.section("search", "Parameter search", [HTML.empty("no search in this build")]) }
        let keys = trials[0].parameters.keys.sorted()
        let rows = trials.map { t in
            [String(t.index + 1)] + keys.map { ReportFormat.number(t.parameters[$0] ?? .nan) }
                + [String(t.windows), ReportFormat.number(t.score), t.chosen ? "chosen" : ""]
        }
        let points = trials.map { (Double($0.index + 1), $0.score) }
        let plot = ChartPlot(x: .nice(points.map(\.0), title: "trial"), y: .nice(points.map(\.1), title: "pooled out-of-fold AUC"),
                             width: 520, height: 220)
        let c = ReportFormat.coordinate
        let marks = zip(trials, points).map { t, p in
            "<circle class=\"marker\" cx=\"\(c(plot.px(p.0)))\" cy=\"\(c(plot.py(p.1)))\" r=\"\(t.chosen ? "6" : "3.5")\"/>"
        }
        return HTML.section("search", "Parameter search", [
            HTML.table(["trial"] + keys + ["windows", "AUC", ""], rows,
                       caption: "Trials (choice parameters show the index of the value listed in the config)"),
            plot.svg("Pooled out-of-fold AUC of each trial", marks),
        ])
    }
}
