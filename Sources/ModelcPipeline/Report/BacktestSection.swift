import ModelcFormat

/// The blended policy replayed over the test spans: its summary numbers, equity curve and
/// drawdown from the running peak.
enum BacktestSection {
    static func render(_ backtest: Modelc_Backtest?) -> String {
        guard let b = backtest else { return HTML.section("backtest", "Backtest", [HTML.empty("no backtest recorded")]) }
        var parts = [summary(b)]
        if b.equity.isEmpty {
            parts.append(HTML.empty("no equity curve recorded"))
        } else {
            parts.append(equityChart(b.equity))
            parts.append(drawdownChart(b.equity))
        }
        return HTML.section("backtest", "Backtest", parts)
    }

    static func summary(_ b: Modelc_Backtest) -> String {
        HTML.keyValues([
            ("span", b.start == 0 && b.end == 0 ? "" : "\(ReportFormat.dateTime(b.start)) \u{2192} \(ReportFormat.dateTime(b.end))"),
            ("symbols", b.symbols.joined(separator: ", ")),
            ("fee per side", ReportFormat.percent(b.fee)), ("slippage per side", ReportFormat.percent(b.slippage)),
            ("Sharpe (annualised)", ReportFormat.number(b.sharpe)), ("max drawdown", ReportFormat.percent(b.maxDrawdown)),
            ("total return", ReportFormat.percent(b.totalReturn)), ("win rate", ReportFormat.percent(b.winRate)),
            ("trades", "\(b.trades)"), ("exposure", ReportFormat.percent(b.exposure)),
        ])
    }

    /// Drawdown at each point: equity over its running peak, minus one (0 at a new high).
    static func drawdowns(_ equity: [Double]) -> [Double] {
        var peak = -Double.infinity
        return equity.map { e in
            peak = max(peak, e)
            return peak > 0 ? e / peak - 1 : 0
        }
    }

    private static func equityChart(_ equity: [Modelc_EquityPoint]) -> String {
        let points = equity.map { (Double($0.timestamp), $0.equity) }
        let plot = ChartPlot(x: .time(equity.first!.timestamp, equity.last!.timestamp),
                             y: .nice(points.map(\.1), title: "equity"))
        return HTML.text("h3", "Equity") + "\n" + plot.svg("Equity curve", [
            "<path class=\"equity\" d=\"\(plot.path(points))\"/>",
        ])
    }

    private static func drawdownChart(_ equity: [Modelc_EquityPoint]) -> String {
        let dd = drawdowns(equity.map(\.equity))
        let points = zip(equity, dd).map { (Double($0.timestamp), $1) }
        let plot = ChartPlot(x: .time(equity.first!.timestamp, equity.last!.timestamp),
                             y: .nice(dd, title: "drawdown", anchor: 0, label: ReportFormat.percent), height: 200)
        return HTML.text("h3", "Drawdown") + "\n" + plot.svg("Drawdown from the running peak", [
            "<path class=\"drawdown-area\" d=\"\(plot.area(points, base: 0))\"/>",
            "<path class=\"drawdown\" d=\"\(plot.path(points))\"/>",
        ])
    }
}
