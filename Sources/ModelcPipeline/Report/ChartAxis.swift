import Foundation

/// One axis of a chart: the data range it spans, the values it labels, and how to label them.
struct ChartAxis {
    var title: String
    var lower: Double
    var upper: Double
    var ticks: [Double]
    var label: (Double) -> String

    /// An axis over `values` widened to round steps (1, 2, 2.5 or 5 times a power of ten), and to
    /// include `anchor` (0 for a drawdown, say) when given.
    static func nice(_ values: [Double], title: String, anchor: Double? = nil,
                     label: @escaping (Double) -> String = ReportFormat.tick) -> ChartAxis {
        let finite = values.filter(\.isFinite) + (anchor.map { [$0] } ?? [])
        var lo = finite.min() ?? 0, hi = finite.max() ?? 1
        if hi - lo < 1e-12 * max(1, abs(hi)) {
            let pad = max(abs(hi) * 0.05, 0.01)  // a flat series (no drawdown at all) still gets round ticks
            lo -= pad
            hi += pad
        }
        let rough = (hi - lo) / 4
        let magnitude = pow(10, floor(log10(rough)))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= rough } ?? 10 * magnitude
        let lower = floor(lo / step) * step, upper = ceil(hi / step) * step
        let count = Int(((upper - lower) / step).rounded())
        return ChartAxis(title: title, lower: lower, upper: upper,
                         ticks: (0...count).map { i in
                             let t = lower + Double(i) * step
                             return abs(t) < step * 1e-9 ? 0 : t  // a tick at 0, not at 1e-17
                         }, label: label)
    }

    /// A time axis from `start` to `end` (unix seconds) with five evenly spaced UTC labels.
    static func time(_ start: Int64, _ end: Int64, title: String = "date (UTC)") -> ChartAxis {
        let lo = Double(start), hi = Double(max(end, start + 1))
        let short = hi - lo < 5 * 86_400
        return ChartAxis(title: title, lower: lo, upper: hi, ticks: (0...4).map { lo + (hi - lo) * Double($0) / 4 },
                         label: { short ? ReportFormat.dateTime(Int64($0)) : ReportFormat.date(Int64($0)) })
    }

    /// Probabilities: 0 to 1 in steps of 0.2.
    static func probability(_ title: String) -> ChartAxis {
        ChartAxis(title: title, lower: 0, upper: 1, ticks: (0...5).map { Double($0) / 5 },
                  label: { String(format: "%.1f", $0) })
    }
}
