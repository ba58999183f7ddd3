import ModelcFormat

/// Renders an artifact summary as aligned plain-text tables for a terminal.
enum SummaryTable {
    static func render(_ s: ArtifactSummary) -> String {
        var out: [String] = []
        out.append("\(s.file)  (\(s.fileBytes) bytes)")
        out.append("")
        out.append(section("Header", rows: [
            ["format", s.header.format],
            ["capabilities", s.header.requiredCapabilities.isEmpty ? "-" : s.header.requiredCapabilities.joined(separator: ", ")],
            ["body", "\(s.header.bodyBytes) bytes, stored \(s.header.storedBodyBytes) (\(s.header.compression)), crc32c \(s.header.bodyCRC32C)"],
            ["signature", s.header.signature],
        ]))
        var info = [
            ["name", s.info.name], ["version", s.info.version], ["created", s.info.created],
            ["producer", "\(s.info.producer) \(s.info.producerVersion)"],
        ]
        if !s.info.dataDigest.isEmpty { info.append(["data", s.info.dataDigest]) }
        if !s.info.configDigest.isEmpty { info.append(["config", s.info.configDigest]) }
        if !s.info.description.isEmpty { info.append(["description", s.info.description]) }
        for (k, v) in s.info.metadata.sorted(by: { $0.key < $1.key }) { info.append(["meta.\(k)", v]) }
        out.append(section("Model", rows: info))
        out.append(section("Features (interval \(s.intervalSeconds) s, warm-up \(s.warmup) candles)",
                           header: ["#", "name", "kind", "params"],
                           rows: s.features.map { ["\($0.index)", $0.name, $0.kind, $0.params.map(number).joined(separator: ", ")] }))
        for c in s.components {
            var rows: [[String]] = []
            for (i, m) in c.members.enumerated() {
                if let layers = m.layers {
                    for l in layers { rows.append(["\(i)", l.name, l.type, l.shape, "\(l.parameters)"]) }
                } else if let t = m.trees {
                    rows.append(["\(i)", "trees", "\(t.source), \(t.comparison), \(t.thresholdPrecision), \(t.link)",
                                 "\(t.trees) trees, \(t.leaves) leaves, depth \(t.maxDepth)", "\(m.parameters)"])
                }
            }
            let title = "Component '\(c.name)' (role \(c.role), \(c.inputFeatures.count) inputs x \(c.window) steps, scaler \(c.scaler), \(c.members.count) member\(c.members.count == 1 ? "" : "s"))"
            out.append(section(title, header: ["member", "layer", "type", "shape", "params"], rows: rows))
        }
        out.append(section("Blend", rows: s.blend.sorted(by: { $0.key < $1.key }).map { [$0.key, $0.value] }))
        out.append(section("Tensors (\(s.tensors.count), \(s.tensorBytes) bytes, \(s.totalParameters) parameters)",
                           header: ["name", "dtype", "shape", "bytes"],
                           rows: s.tensors.map { [$0.name, $0.dtype, "[" + $0.shape.map(String.init).joined(separator: ", ") + "]", "\($0.bytes)"] }))
        var card: [[String]] = s.card.headline.isEmpty ? [] : [["headline", s.card.headline]]
        card.append(["walk-forward windows", "\(s.card.windows)"])
        for (k, v) in s.card.overall.sorted(by: { $0.key < $1.key }) { card.append([k, number(v)]) }
        for (k, v) in (s.card.backtest ?? [:]).sorted(by: { $0.key < $1.key }) { card.append(["backtest.\(k)", number(v)]) }
        for (k, v) in s.card.fidelity.sorted(by: { $0.key < $1.key }) {
            card.append(["fidelity \(k)", v.sorted(by: { $0.key < $1.key }).map { "\($0.key) \(number($0.value))" }.joined(separator: ", ")])
        }
        if !s.card.notes.isEmpty { card.append(["notes", s.card.notes]) }
        out.append(section("Model card", rows: card))
        return out.joined(separator: "\n")
    }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    private static func section(_ title: String, header: [String]? = nil, rows: [[String]]) -> String {
        let all = (header.map { [$0] } ?? []) + rows
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, v in i == r.count - 1 ? v : v.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        var lines = [title, String(repeating: "-", count: title.count)]
        if let header { lines.append("  " + line(header)) }
        lines += rows.map { "  " + line($0) }
        if rows.isEmpty { lines.append("  (none)") }
        return lines.joined(separator: "\n") + "\n"
    }
}
