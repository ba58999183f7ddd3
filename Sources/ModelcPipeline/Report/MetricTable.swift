import ModelcFormat

/// Metrics laid out generically, since the build pipeline chooses their names: a component of the
/// form "target/model" ("long/blend", "backtest/trees") joins its target's table, models as rows
/// and metric names as columns; other components share one table. Order is first appearance.
struct MetricTable {
    var target: String?
    var models: [String] = []
    var names: [String] = []
    var values: [String: [String: Double]] = [:]

    static func group(_ metrics: [Modelc_Metric]) -> [MetricTable] {
        var tables: [MetricTable] = []
        for m in metrics {
            let parts = m.component.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            let target = parts.count == 2 ? String(parts[0]) : nil
            let model = parts.count == 2 ? String(parts[1]) : m.component
            let i = tables.firstIndex { $0.target == target } ?? tables.count
            if i == tables.count { tables.append(MetricTable(target: target)) }
            if !tables[i].models.contains(model) { tables[i].models.append(model) }
            if !tables[i].names.contains(m.name) { tables[i].names.append(m.name) }
            if tables[i].values[model]?[m.name] == nil { tables[i].values[model, default: [:]][m.name] = m.value }
        }
        return tables
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
