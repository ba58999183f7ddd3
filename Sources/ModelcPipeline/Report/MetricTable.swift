import ModelcFormat

/// Metrics laid out generically, since the build pipeline chooses their names: a component of the
/// form "target/model" ("long/blend", "backtest/trees"; the target may hold slashes itself,
/// "holdout/long/blend") joins its target's table, models as rows
/// and metric names as columns; other components share one table. Order is first appearance.
struct MetricTable {
    var target: String?
    var models: [String] = []
    var names: [String] = []
    var values: [String: [String: Double]] = [:]

    static func group(_ metrics: [Modelc_Metric]) -> [MetricTable] {
        var tables: [MetricTable] = []
        for m in metrics {
            let (target, model) = split(m.component)
            let i = tables.firstIndex { $0.target == target } ?? tables.count
            if i == tables.count { tables.append(MetricTable(target: target)) }
            if !tables[i].models.contains(model) { tables[i].models.append(model) }
            if !tables[i].names.contains(m.name) { tables[i].names.append(m.name) }
            if tables[i].values[model]?[m.name] == nil { tables[i].values[model, default: [:]][m.name] = m.value }
        }
        return tables
    }

    /// "holdout/long/blend" -> ("holdout/long", "blend"); "blend" -> (nil, "blend").
    static func split(_ component: String) -> (target: String?, model: String) {
        guard let slash = component.lastIndex(of: "/") else { return (nil, component) }
        return (String(component[..<slash]), String(component[component.index(after: slash)...]))
    }

    func html(rowTitle: String = "model") -> String {
        let rows = models.map { model in [model] + names.map { values[model]?[$0].map(ReportFormat.number) ?? "" } }
        return HTML.table([target == nil ? "component" : rowTitle] + names, rows, caption: target ?? "other")
    }
}

/// The card's overall metrics, one table per target.
enum MetricsSection {
    static func render(_ metrics: [Modelc_Metric]) -> String {
        let content = metrics.isEmpty ? [HTML.empty("no overall metrics recorded")] : MetricTable.group(metrics).map { $0.html() }
        return HTML.section("metrics", "Overall metrics", content)
    }
}
