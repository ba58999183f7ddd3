import Foundation
import ModelcFormat

/// Reliability of each component's probabilities: the mean predicted probability of each bin
/// against the rate observed in it, with the diagonal a perfectly calibrated model would follow.
enum CalibrationSection {
    static func render(_ bins: [Modelc_CalibrationBin]) -> String {
        guard !bins.isEmpty else { return HTML.section("calibration", "Calibration", [HTML.empty("no calibration recorded")]) }
        var components: [String] = []
        for b in bins where !components.contains(b.component) { components.append(b.component) }
        let blocks = components.map { name in
            let mine = bins.filter { $0.component == name }
            return HTML.element("div", [("class", "calibration")], HTML.text("h3", name) + "\n" + chart(name, mine) + "\n" + table(mine))
        }
        return HTML.section("calibration", "Calibration", [HTML.element("div", [("class", "row")], blocks.joined(separator: "\n"))])
    }

    private static func chart(_ name: String, _ bins: [Modelc_CalibrationBin]) -> String {
        let plot = ChartPlot(x: .probability("mean predicted"), y: .probability("observed rate"), width: 340, height: 300,
                             left: 56, right: 16)
        let c = ReportFormat.coordinate
        let filled = bins.filter { $0.count > 0 }
        let most = Double(filled.map(\.count).max() ?? 1)
        var marks = ["<path class=\"diagonal\" d=\"\(plot.path([(0, 0), (1, 1)]))\"/>",
                     "<path class=\"series\" d=\"\(plot.path(filled.map { ($0.meanPredicted, $0.observedRate) }))\"/>"]
        marks += filled.map { b in
            let r = 2.5 + 5.5 * (Double(b.count) / most).squareRoot()
            return HTML.element("circle", [("class", "marker"), ("cx", c(plot.px(b.meanPredicted))), ("cy", c(plot.py(b.observedRate))), ("r", c(r))],
                                HTML.text("title", "\(b.count) samples"))
        }
        return plot.svg("Calibration of \(name)", marks)
    }

    private static func table(_ bins: [Modelc_CalibrationBin]) -> String {
        HTML.table(["bin", "count", "mean predicted", "observed rate"], bins.map { b in
            [String(format: "%.2f\u{2013}%.2f", b.lower, b.upper), "\(b.count)", ReportFormat.number(b.meanPredicted),
             ReportFormat.number(b.observedRate)]
        })
    }
}
