import Foundation
import ModelcFormat
import ModelcPipeline
import XCTest

/// `modelc report` on a model card built by hand: well-formed markup, every section, escaped
/// names, tables laid out as the card says, and charts whose points are the card's numbers.
final class ModelReportTests: XCTestCase {
    static let nasty = "<script>alert('x')</script> & \"quoted\""
    /// A component without a "target/model" form, and with markup in its name.
    static let other = "majority <\"all\"> & 'up'"
    static let day: Int64 = 86_400
    static let start: Int64 = 1_704_067_200  // 2024-01-01T00:00:00Z
    static let equity: [Double] = [1.0, 1.02, 0.99, 1.05, 1.01, 0.97, 1.08, 1.10, 1.04, 1.12]

    static func model() -> Modelc_Model {
        var model = Modelc_Model()
        model.info.name = nasty
        model.info.version = "1.2.3"
        model.info.createdUnix = start + 3 * day + 3600 * 14
        model.info.producer = "modelc"
        model.info.producerVersion = "0.9.0"
        model.info.dataDigest = "sha256:abc"
        model.info.configDigest = "sha256:def"
        model.info.metadata = ["symbols": "BTCUSDT,ETHUSDT", "leakage_check": "passed <no future rows>"]
        model.features.intervalSeconds = 3600
        model.features.features = ["ret_1", "rsi_14", "vol<&>"].map { n in
            var f = Modelc_Feature()
            f.name = n
            return f
        }
        var trees = Modelc_Component()
        trees.name = "direction"
        trees.role = .roleDirection
        trees.input.features = [0, 2]
        trees.input.window = 1
        var member = Modelc_Member()
        member.trees = Modelc_TreeEnsemble()
        trees.members = [member]
        var long = Modelc_Component()
        long.name = "long"
        long.role = .roleLong
        long.input.features = [1]
        long.input.window = 64
        var dense = Modelc_DenseLayer()
        (dense.weight, dense.bias) = ("fc.weight", "fc.bias")
        var layer = Modelc_Layer()
        layer.dense = dense
        var net = Modelc_SequenceNetwork()
        net.layers = [layer]
        net.int8Compute = .int8Dynamic
        var netMember = Modelc_Member()
        netMember.network = net
        long.members = [netMember]
        model.components = [trees, long]
        model.tensors = [("fc.weight", Modelc_DType.int8), ("fc.bias", .f32), ("unused", .f16)].map { t in
            var tensor = Modelc_Tensor()
            (tensor.name, tensor.dtype) = (t.0, t.1)
            return tensor
        }
        model.blend.treeWeight = 0.6
        model.blend.networkWeight = 0.4

        var card = Modelc_ModelCard()
        card.backtest.fee = 0.001
        card.backtest.slippage = 0.0005
        card.backtest.sharpe = 1.25
        card.backtest.maxDrawdown = -0.0757
        card.backtest.totalReturn = 0.12
        card.backtest.trades = 17
        card.backtest.symbols = ["BTCUSDT", "ETHUSDT"]
        card.backtest.start = start
        card.backtest.end = start + 10 * day
        // Uneven steps in time, so x must follow the timestamps, not the index.
        let offsets: [Int64] = [0, 1, 2, 4, 5, 6, 7, 8, 9, 10].map { $0 * day - ($0 == 10 ? 3600 : 0) }
        card.backtest.equity = zip(offsets, equity).map { o, e in
            var p = Modelc_EquityPoint()
            p.timestamp = start + o
            p.equity = e
            return p
        }
        card.windows = (0..<3).map { i in
            var w = Modelc_WalkForwardWindow()
            w.index = UInt32(i)
            w.trainStart = start + Int64(i) * 30 * day
            w.trainEnd = w.trainStart + 60 * day
            w.testStart = w.trainEnd + day
            w.testEnd = w.testStart + 30 * day
            w.metrics = [metric("long/blend", "auc", 0.55 + 0.01 * Double(i)), metric("long/trees", "auc", 0.52)]
            w.backtest.sharpe = Double(i) - 0.5
            w.backtest.trades = UInt32(10 + i)
            return w
        }
        card.overall = [
            metric("long/blend", "auc", 0.561), metric("long/blend", "brier", 0.2431),
            metric("long/trees", "auc", 0.548), metric("short/blend", "f1", 0.31),
            metric("backtest/blend", "sharpe", 1.25), metric(other, "auc", 0.5),
            metric("holdout/long/blend", "auc", 0.53),
        ]
        card.calibration = [(0.0, 0.1, 0.07, 0.05, 40), (0.1, 0.2, 0.15, 0.18, 25), (0.2, 0.3, 0, 0, 0)].map { b in
            var c = Modelc_CalibrationBin()
            c.component = "long"
            (c.lower, c.upper, c.meanPredicted, c.observedRate, c.count) = (b.0, b.1, b.2, b.3, UInt32(b.4))
            return c
        }
        card.importance = [("rsi_14", 3.5, 12), ("vol<&>", 9.25, 30), ("ret_1", 0.75, 4)].map { f in
            var i = Modelc_FeatureImportance()
            (i.feature, i.gain, i.splits) = (f.0, f.1, UInt32(f.2))
            return i
        }
        var fidelity = Modelc_QuantizationFidelity()
        fidelity.component = "long"
        fidelity.precision = "int8-weight"
        fidelity.maxAbsDelta = 0.0123
        fidelity.decisionAgreement = 0.998
        fidelity.samples = 5000
        card.fidelity = [fidelity]
        card.notes = "Out-of-sample only.\n  Fees < 0.1% & no funding."
        model.card = card
        return model
    }

    static func metric(_ component: String, _ name: String, _ value: Double) -> Modelc_Metric {
        var m = Modelc_Metric()
        (m.component, m.name, m.value) = (component, name, value)
        return m
    }

    func testEverySectionIsPresentAndTheMarkupIsWellFormed() throws {
        let html = ModelReport.html(Self.model())
        let doc = try ReportNode.parse(html)
        let sections = doc.all("section").compactMap { $0.attributes["id"] }
        XCTAssertEqual(sections, ["summary", "model", "backtest", "policy-fit", "search", "windows", "metrics", "calibration", "importance",
                                  "fidelity", "notes"])
        XCTAssertEqual(doc.all("svg").count, 5, "equity, drawdown, window metric, calibration, importance")
        XCTAssertEqual(html, ModelReport.html(Self.model()), "same model, same bytes")
        if let path = ProcessInfo.processInfo.environment["MODELC_REPORT_SAMPLE"] {
            try html.write(toFile: path, atomically: true, encoding: .utf8)  // Tools/test.sh screenshots it
        }
    }

    func testNothingIsFetchedOrRun() throws {
        let html = ModelReport.html(Self.model())
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("src="))
        XCTAssertFalse(html.contains("<link"))
        XCTAssertFalse(html.contains("url("))
        let links = html.components(separatedBy: "http").count - 1
        XCTAssertEqual(links, html.components(separatedBy: "xmlns=\"http").count - 1, "only XML namespaces name a URL")
    }

    func testUserTextIsEscaped() throws {
        let html = ModelReport.html(Self.model())
        XCTAssertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quoted&quot;"))
        let doc = try ReportNode.parse(html)
        XCTAssertEqual(doc.all("h1").first?.text, Self.nasty + " 1.2.3")
        XCTAssertTrue(doc.all("td").contains { $0.text == "passed <no future rows>" })
        XCTAssertTrue(doc.all("td").contains { $0.text == "ret_1, vol<&>" }, "component features by name")
        XCTAssertEqual(doc.all("pre").first?.text, "Out-of-sample only.\n  Fees < 0.1% & no funding.")
    }

    func testHeaderShowsLineageInUTC() throws {
        let doc = try ReportNode.parse(ModelReport.html(Self.model()))
        let kv = Dictionary(doc.all("section", where: "id", is: "model")[0].rows.filter { $0.count == 2 }.map { ($0[0], $0[1]) },
                            uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(kv["created"], "2024-01-04 14:00 UTC")
        XCTAssertEqual(kv["producer"], "modelc 0.9.0")
        XCTAssertEqual(kv["data digest"], "sha256:abc")
        XCTAssertEqual(kv["symbols"], "BTCUSDT,ETHUSDT")
        XCTAssertEqual(kv["tree weight"], "0.6000")
        let components = doc.all("section", where: "id", is: "model")[0].all("table")[2].rows
        XCTAssertEqual(components, [["name", "role", "kind", "window", "features", "precision", "calibration"],
                                    ["direction", "direction", "trees (0)", "1", "ret_1, vol<&>", "f32 thresholds", "none"],
                                    ["long", "long", "network", "64", "rsi_14", "f32+int8-dynamic", "none"]])
        let backtest = doc.all("section", where: "id", is: "backtest")[0].rows
        XCTAssertTrue(backtest.contains(["span", "2024-01-01 00:00 UTC \u{2192} 2024-01-11 00:00 UTC"]))
        XCTAssertTrue(backtest.contains(["fee per side", "0.10%"]))
        XCTAssertTrue(backtest.contains(["symbols", "BTCUSDT, ETHUSDT"]))
    }

    func testMetricsAreTabledPerTargetWithModelsAsRows() throws {
        let doc = try ReportNode.parse(ModelReport.html(Self.model()))
        let tables = doc.all("section", where: "id", is: "metrics")[0].all("table")
        XCTAssertEqual(tables.map { $0.all("caption").first?.text }, ["long", "short", "backtest", "other", "holdout/long"])
        XCTAssertEqual(tables[0].rows, [["model", "auc", "brier"], ["blend", "0.5610", "0.2431"], ["trees", "0.5480", ""]])
        XCTAssertEqual(tables[3].rows, [["component", "auc"], [Self.other, "0.5000"]])
        XCTAssertEqual(tables[4].rows, [["model", "auc"], ["blend", "0.5300"]])
    }

    func testWindowsShowUTCSpansMetricsAndTheirBacktests() throws {
        let section = try ReportNode.parse(ModelReport.html(Self.model())).all("section", where: "id", is: "windows")[0]
        let tables = section.all("table")
        XCTAssertEqual(tables[0].rows[1].prefix(4), ["0", "2024-01-01 \u{2192} 2024-03-01", "2024-03-02 \u{2192} 2024-04-01", "-0.5000"])
        XCTAssertEqual(tables[0].rows[3][7], "12", "window 2's trades")
        XCTAssertEqual(tables[1].all("caption").first?.text, "long")
        XCTAssertEqual(tables[1].rows.prefix(4), [["window \u{00B7} model", "auc"], ["W0 \u{00B7} blend", "0.5500"],
                                                 ["W0 \u{00B7} trees", "0.5200"], ["W1 \u{00B7} blend", "0.5600"]])
        let cells = tables[1].all("td")
        XCTAssertEqual(cells.first { $0.text == "0.5500" }?.attributes["class"], "num", "numbers right-aligned")
        XCTAssertNil(cells.first { $0.text == "W0 \u{00B7} blend" }?.attributes["class"])
        let chart = section.all("svg")[0]
        XCTAssertEqual(chart.all("circle").count, 3)
        XCTAssertTrue(section.all("h3").contains { $0.text == "long/blend \u{00B7} auc across windows" })
    }

    /// Points of a path `M x,y L x,y ...`.
    func points(_ path: ReportNode) throws -> [(x: Double, y: Double)] {
        let d = try XCTUnwrap(path.attributes["d"])
        return try d.split(separator: " ").filter { $0 != "Z" }.map { token in
            let xy = token.dropFirst().split(separator: ",").compactMap { Double($0) }
            XCTAssertEqual(xy.count, 2, "bad path token \(token)")
            return try (XCTUnwrap(xy.first), XCTUnwrap(xy.last))
        }
    }

    /// x follows time and y is a decreasing straight-line function of the value, to the 0.01 px
    /// the coordinates are written with.
    func assertPlotted(_ pts: [(x: Double, y: Double)], times: [Double], values: [Double], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(pts.count, values.count, file: file, line: line)
        guard pts.count == values.count, let hi = values.indices.max(by: { values[$0] < values[$1] }),
              let lo = values.indices.min(by: { values[$0] < values[$1] }) else { return }
        let xScale = (pts.last!.x - pts[0].x) / (times.last! - times[0])
        let yScale = (pts[lo].y - pts[hi].y) / (values[hi] - values[lo])
        XCTAssertGreaterThan(xScale, 0, file: file, line: line)
        XCTAssertGreaterThan(yScale, 0, "higher values are drawn higher", file: file, line: line)
        for i in values.indices {
            XCTAssertEqual(pts[i].x, pts[0].x + (times[i] - times[0]) * xScale, accuracy: 0.011, "x of point \(i)", file: file, line: line)
            XCTAssertEqual(pts[i].y, pts[hi].y + (values[hi] - values[i]) * yScale, accuracy: 0.011, "y of point \(i)", file: file, line: line)
        }
    }

    /// The y of a y-axis tick's grid line, found through its label (drawn 4 px below the line).
    func tickY(_ svg: ReportNode, _ label: String) throws -> Double {
        let text = try XCTUnwrap(svg.all("text", where: "class", is: "tick").first { $0.text == label && $0.attributes["text-anchor"] == "end" })
        let y = try XCTUnwrap(text.attributes["y"].flatMap(Double.init)) - 4
        XCTAssertTrue(svg.all("line", where: "class", is: "grid").contains { Double($0.attributes["y1"] ?? "") == y }, "a grid line at the tick")
        return y
    }

    func testEquityAndDrawdownChartsPlotTheCardsNumbers() throws {
        let model = Self.model()
        let times = model.card.backtest.equity.map { Double($0.timestamp) }
        let section = try ReportNode.parse(ModelReport.html(model)).all("section", where: "id", is: "backtest")[0]
        assertPlotted(try points(XCTUnwrap(section.all("path", where: "class", is: "equity").first)), times: times, values: Self.equity)
        // Drawdown from the best equity so far, written out longhand.
        let drawdown = Self.equity.indices.map { i in Self.equity[i] / Self.equity[0...i].max()! - 1 }
        XCTAssertEqual(drawdown.min()!, 0.97 / 1.05 - 1, accuracy: 1e-12)
        assertPlotted(try points(XCTUnwrap(section.all("path", where: "class", is: "drawdown").first)), times: times, values: drawdown)
        // Pinned to the axis too: the first point (equity 1, drawdown 0) sits on the tick labelled so.
        XCTAssertEqual(try tickY(section.all("svg")[0], "1"), try points(XCTUnwrap(section.all("path", where: "class", is: "equity").first))[0].y, accuracy: 0.011)
        XCTAssertEqual(try tickY(section.all("svg")[1], "0.00%"), try points(XCTUnwrap(section.all("path", where: "class", is: "drawdown").first))[0].y, accuracy: 0.011)
        let labels = section.all("svg")[0].all("text", where: "class", is: "tick").map(\.text)
        XCTAssertTrue(labels.contains("2024-01-01") && labels.contains("2024-01-10"), "dates on the time axis: \(labels)")
    }

    func testCalibrationImportanceAndFidelity() throws {
        let doc = try ReportNode.parse(ModelReport.html(Self.model()))
        let calibration = doc.all("section", where: "id", is: "calibration")[0]
        XCTAssertEqual(calibration.all("circle").count, 2, "empty bins are not plotted")
        XCTAssertEqual(calibration.all("path", where: "class", is: "diagonal").count, 1)
        XCTAssertEqual(calibration.all("table")[0].rows[1], ["0.00\u{2013}0.10", "40", "0.0700", "0.0500"])
        let importance = doc.all("section", where: "id", is: "importance")[0]
        XCTAssertEqual(importance.all("table")[0].rows.dropFirst().map { $0[0] }, ["vol<&>", "rsi_14", "ret_1"], "by gain")
        let widths = importance.all("rect", where: "class", is: "bar").compactMap { $0.attributes["width"].flatMap(Double.init) }
        XCTAssertEqual(widths.count, 3)
        XCTAssertEqual(widths[1] / widths[0], 3.5 / 9.25, accuracy: 0.002, "bar length proportional to gain")
        let fidelity = doc.all("section", where: "id", is: "fidelity")[0].all("table")[0].rows
        XCTAssertEqual(fidelity[1], ["long", "int8-weight", "0.0123", "0", "99.80%", "5000"].map { $0 == "0" ? "0.0000" : $0 })
    }

    func testAModelWithoutACardStillRenders() throws {
        var model = Self.model()
        model.clearCard()
        let doc = try ReportNode.parse(ModelReport.html(model))
        XCTAssertEqual(doc.all("section").compactMap { $0.attributes["id"] }, ["model", "card"])
        XCTAssertTrue(doc.all("p").contains { $0.text == "no model card" })
    }
}
