import ModelcFormat

/// The card's first table (Spec.md §14.3): the headline, then per target the majority, the plain
/// reference, the trees, the network and the blend side by side — AUC and Brier skill out of fold
/// and on the holdout — and the holdout backtest of the policy beside always-flat and buy-and-hold.
enum SummarySection {
    static func render(_ card: Modelc_ModelCard) -> String {
        func value(_ component: String, _ name: String) -> String {
            card.overall.first { $0.component == component && $0.name == name }.map { ReportFormat.number($0.value) } ?? "—"
        }
        var parts = [card.headline.isEmpty ? HTML.empty("no headline (built before format 1.1)") : HTML.text("p", card.headline, [("class", "headline")])]
        var rows: [[String]] = []
        for target in ["long", "short", "up"] {
            for model in ["majority", "reference", "trees", "network", "blend"] where value("\(target)/\(model)", "brier") != "—" {
                let w = "\(target)/\(model)", h = "holdout/\(target)/\(model)"
                rows.append([target, model, value(w, "auc"), value(w, "brier_skill"), value(h, "auc"), value(h, "brier"),
                             value(h, "brier_skill"), value(h, "log_loss_skill")])
            }
        }
        parts.append(rows.isEmpty ? HTML.empty("no metrics")
            : HTML.table(["target", "model", "AUC (out of fold)", "Brier skill (out of fold)", "AUC (holdout)", "Brier (holdout)",
                          "Brier skill (holdout)", "log-loss skill (holdout)"], rows, caption: "Models against the reference and the base rate"))
        let backtests = ["blend", "trees", "network", "buy_and_hold", "flat"].compactMap { name -> [String]? in
            let c = "holdout/backtest/\(name)"
            func raw(_ n: String) -> Double? { card.overall.first { $0.component == c && $0.name == n }?.value }
            guard let r = raw("total_return") else { return nil }
            return [name, ReportFormat.percent(r), value(c, "sharpe"), ReportFormat.percent(raw("max_drawdown") ?? 0),
                    String(Int(raw("trades") ?? 0)), ReportFormat.percent(raw("exposure") ?? 0)]
        }
        if !backtests.isEmpty {
            parts.append(HTML.table(["policy", "return", "Sharpe", "max drawdown", "trades", "exposure"], backtests,
                                    caption: "Holdout backtest after costs"))
        }
        return HTML.section("summary", "Summary", parts)
    }
}

/// The policy fit (Spec.md §14.4): every candidate tried on the out-of-fold rows, the chosen marked.
enum PolicyFitSection {
    static func render(_ points: [Modelc_PolicyPoint]) -> String {
        guard !points.isEmpty else { return HTML.section("policy-fit", "Policy fit", [HTML.empty("the blend was not fitted")]) }
        let rows = points.map { p in
            [p.direction, String(p.hold), p.entry > 1 ? "never" : ReportFormat.number(p.entry), p.veto >= 1 ? "none" : ReportFormat.number(p.veto),
             ReportFormat.number(p.objective), String(p.trades), ReportFormat.percent(p.meanTrade), ReportFormat.number(p.tStat),
             p.chosen ? "chosen" : ""]
        }
        return HTML.section("policy-fit", "Policy fit", charts(points) + [
            HTML.table(["direction", "hold", "entry", "veto", "objective", "trades", "mean trade", "t", ""], rows,
                       caption: "Each direction trading alone on the walk-forward out-of-fold rows, after costs"),
        ])
    }

    /// Per direction, the objective across entry thresholds at the chosen hold and veto (or, when
    /// the direction does not trade, with no veto at the hold tried first); the chosen point larger.
    private static func charts(_ points: [Modelc_PolicyPoint]) -> [String] {
        ["long", "short"].compactMap { direction -> String? in
            let mine = points.filter { $0.direction == direction }
            guard let reference = mine.first(where: \.chosen) ?? mine.first(where: { $0.veto >= 1 }) else { return nil }
            let line = mine.filter { $0.hold == reference.hold && $0.veto == reference.veto }.sorted { $0.entry < $1.entry }
            guard line.count > 1 else { return nil }
            let xy = line.map { ($0.entry, $0.objective) }
            let plot = ChartPlot(x: .nice(xy.map(\.0), title: "entry threshold (p_\(direction))"),
                                 y: .nice(xy.map(\.1), title: "objective", anchor: 0), width: 520, height: 220)
            let c = ReportFormat.coordinate
            let marks = ["<path class=\"series\" d=\"\(plot.path(xy))\"/>"] + zip(line, xy).map { p, q in
                "<circle class=\"marker\" cx=\"\(c(plot.px(q.0)))\" cy=\"\(c(plot.py(q.1)))\" r=\"\(p.chosen ? "6" : "3.5")\"/>"
            }
            return HTML.text("h3", "\(direction.uppercased()): objective across entry thresholds") + "\n"
                + plot.svg("Out-of-fold objective of \(direction.uppercased()) by entry threshold", marks)
        }
    }
}
