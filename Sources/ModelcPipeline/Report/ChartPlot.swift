/// A rectangular SVG chart: maps data to pixels and draws the frame, grid, ticks and axis
/// titles; the sections add their marks (paths, circles, bars) through `svg(_:_:)`.
struct ChartPlot {
    var x: ChartAxis
    var y: ChartAxis
    var width = 760.0
    var height = 260.0
    var left = 72.0
    var right = 24.0
    var top = 16.0
    var bottom = 44.0

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func px(_ v: Double) -> Double { left + (v - x.lower) / (x.upper - x.lower) * plotWidth }
    func py(_ v: Double) -> Double { top + (y.upper - v) / (y.upper - y.lower) * plotHeight }

    /// `M x,y L x,y ...` through the points in order.
    func path(_ points: [(Double, Double)]) -> String {
        points.enumerated().map { i, p in
            "\(i == 0 ? "M" : "L")\(ReportFormat.coordinate(px(p.0))),\(ReportFormat.coordinate(py(p.1)))"
        }.joined(separator: " ")
    }

    /// The area between the line through `points` and the horizontal line at `base`.
    func area(_ points: [(Double, Double)], base: Double) -> String {
        guard let first = points.first, let last = points.last else { return "" }
        return path([(first.0, base)] + points + [(last.0, base)]) + " Z"
    }

    func svg(_ label: String, _ marks: [String]) -> String {
        let c = ReportFormat.coordinate
        var parts = [HTML.text("title", label)]
        for t in y.ticks {
            let yy = c(py(t))
            parts.append("<line class=\"grid\" x1=\"\(c(left))\" y1=\"\(yy)\" x2=\"\(c(left + plotWidth))\" y2=\"\(yy)\"/>")
            parts.append(HTML.text("text", y.label(t), [("class", "tick"), ("x", c(left - 6)), ("y", c(py(t) + 4)), ("text-anchor", "end")]))
        }
        for t in x.ticks {
            let xx = c(px(t)), base = top + plotHeight
            parts.append("<line class=\"axis\" x1=\"\(xx)\" y1=\"\(c(base))\" x2=\"\(xx)\" y2=\"\(c(base + 5))\"/>")
            let anchor = t == x.ticks.first && x.ticks.count > 2 ? "start" : t == x.ticks.last && x.ticks.count > 2 ? "end" : "middle"
            parts.append(HTML.text("text", x.label(t), [("class", "tick"), ("x", xx), ("y", c(base + 18)), ("text-anchor", anchor)]))
        }
        parts.append("<rect class=\"frame\" x=\"\(c(left))\" y=\"\(c(top))\" width=\"\(c(plotWidth))\" height=\"\(c(plotHeight))\"/>")
        parts += marks
        parts.append(HTML.text("text", x.title, [("class", "axis-title"), ("x", c(left + plotWidth / 2)), ("y", c(height - 6)), ("text-anchor", "middle")]))
        let midY = c(top + plotHeight / 2)
        parts.append(HTML.text("text", y.title, [("class", "axis-title"), ("x", "14"), ("y", midY), ("text-anchor", "middle"),
                                                ("transform", "rotate(-90 14 \(midY))")]))
        return Self.svgElement(width: width, height: height, label: label, parts)
    }

    static func svgElement(width: Double, height: Double, label: String, _ parts: [String]) -> String {
        let w = ReportFormat.coordinate(width), h = ReportFormat.coordinate(height)
        return HTML.element("svg", [("xmlns", "http://www.w3.org/2000/svg"), ("class", "chart"), ("width", w), ("height", h),
                                    ("viewBox", "0 0 \(w) \(h)"), ("role", "img"), ("aria-label", label)],
                            "\n" + parts.joined(separator: "\n") + "\n")
    }
}
