import ModelcFormat

/// Two versions side by side: model info, features, architecture, sizes and model-card
/// metrics, one row per key with the value on each side ("-" where a side lacks the key).
public struct ArtifactDiff: Codable, Equatable, Sendable {
    public struct Row: Codable, Equatable, Sendable {
        public var key: String
        public var a: String?
        public var b: String?
        public var changed: Bool
    }

    public struct Section: Codable, Equatable, Sendable {
        public var title: String
        public var rows: [Row]
    }

    public var a: String
    public var b: String
    public var sections: [Section]

    public init(a: String, _ left: ArtifactSummary, b: String, _ right: ArtifactSummary) {
        self.a = a
        self.b = b
        let l = Self.flatten(left), r = Self.flatten(right)
        sections = zip(l, r).map { ls, rs in
            var keys = ls.pairs.map(\.0)
            for (k, _) in rs.pairs where !keys.contains(k) { keys.append(k) }
            let lv = Dictionary(ls.pairs, uniquingKeysWith: { x, _ in x }), rv = Dictionary(rs.pairs, uniquingKeysWith: { x, _ in x })
            return Section(title: ls.title, rows: keys.map { Row(key: $0, a: lv[$0], b: rv[$0], changed: lv[$0] != rv[$0]) })
        }
    }

    public var changedRows: Int { sections.reduce(0) { $0 + $1.rows.filter(\.changed).count } }

    /// The same diff with only the rows that differ (and the sections that have such rows).
    public var onlyChanged: ArtifactDiff {
        var diff = self
        diff.sections = sections.map { Section(title: $0.title, rows: $0.rows.filter(\.changed)) }.filter { !$0.rows.isEmpty }
        return diff
    }

    /// The same sections, in the same order, for any summary.
    static func flatten(_ s: ArtifactSummary) -> [(title: String, pairs: [(String, String)])] {
        let info: [(String, String)] = [
            ("name", s.info.name), ("version", s.info.version), ("created", s.info.created),
            ("producer", "\(s.info.producer) \(s.info.producerVersion)"), ("data digest", s.info.dataDigest),
            ("config digest", s.info.configDigest), ("format", s.header.format), ("signed", s.header.signed ? "yes" : "no"),
        ]
        let features = s.features.map { ($0.name, "\($0.kind)(\($0.params.map(number).joined(separator: ", ")))") }
        var architecture: [(String, String)] = [("interval seconds", "\(s.intervalSeconds)"), ("warm-up", "\(s.warmup)")]
        for c in s.components {
            architecture.append((c.name, "\(c.role), \(c.inputFeatures.count) inputs x \(c.window) steps, scaler \(c.scaler), \(c.members.count) member(s), \(c.combine)"))
            for (i, m) in c.members.enumerated() {
                let prefix = "\(c.name)[\(i)]"
                architecture.append(("\(prefix) weight", number(m.weight)))
                for layer in m.layers ?? [] {
                    architecture.append(("\(prefix).\(layer.name)", "\(layer.type) \(layer.shape), \(layer.parameters) params"))
                }
                if let t = m.trees {
                    architecture.append(("\(prefix) trees", "\(t.trees) trees, \(t.leaves) leaves, depth \(t.maxDepth), \(t.thresholdPrecision), \(t.source)"))
                }
            }
        }
        architecture += s.blend.sorted { $0.key < $1.key }.map { ("blend.\($0.key)", $0.value) }
        let sizes: [(String, String)] = [
            ("file bytes", "\(s.fileBytes)"), ("stored body bytes", "\(s.header.storedBodyBytes) (\(s.header.compression))"),
            ("body bytes", "\(s.header.bodyBytes)"), ("tensors", "\(s.tensors.count)"), ("tensor bytes", "\(s.tensorBytes)"),
            ("parameters", "\(s.totalParameters)"),
        ]
        var metrics = s.card.overall.sorted { $0.key < $1.key }.map { ($0.key, number($0.value)) }
        metrics += (s.card.backtest ?? [:]).sorted { $0.key < $1.key }.map { ("backtest.\($0.key)", number($0.value)) }
        return [("Model info", info), ("Features", features), ("Architecture", architecture), ("Sizes", sizes), ("Metrics", metrics)]
    }

    private static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }
}
