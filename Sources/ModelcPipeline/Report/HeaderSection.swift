import ModelcFormat

/// Lineage and structure: who built the model from which data and config, what it is made of,
/// and how its components are blended into a signal.
enum HeaderSection {
    static func render(_ model: Modelc_Model) -> String {
        let info = model.info
        var parts = [HTML.keyValues([
            ("version", info.version),
            ("created", ReportFormat.dateTime(info.createdUnix)),
            ("producer", "\(info.producer) \(info.producerVersion)"),
            ("data digest", info.dataDigest),
            ("config digest", info.configDigest),
            ("candle interval", "\(model.features.intervalSeconds) s"),
            ("warm-up", "\(model.features.warmup) candles"),
        ])]
        if !info.description_p.isEmpty { parts.insert(HTML.text("p", info.description_p), at: 0) }
        parts.append(HTML.text("h3", "Metadata"))
        parts.append(info.metadata.isEmpty ? HTML.empty("no metadata")
                     : HTML.keyValues(info.metadata.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        parts.append(HTML.text("h3", "Components"))
        parts.append(model.components.isEmpty ? HTML.empty("no components") : components(model))
        if model.hasBlend && model.blend.mode == .blendSpecialists {
            let b = model.blend
            func inputs(_ list: [Modelc_BlendInput]) -> String {
                list.map { "\($0.component) × \(ReportFormat.number($0.weight))" }.joined(separator: " + ")
            }
            func entry(_ v: Double) -> String { v > 1 ? "never" : ReportFormat.number(v) }
            parts.append(HTML.text("h3", "Blend policy (specialists)"))
            parts.append(HTML.keyValues([
                ("LONG reads", inputs(b.longInputs)), ("SHORT reads", inputs(b.shortInputs)),
                ("LONG entry", entry(b.longEntry)), ("SHORT entry", entry(b.shortEntry)),
                ("LONG veto (p_short ≥)", ReportFormat.number(b.longVeto)), ("SHORT veto (p_long ≥)", ReportFormat.number(b.shortVeto)),
                ("hold", "\(b.hold) candles"), ("max position", ReportFormat.number(b.maxPosition)),
            ]))
        } else if model.hasBlend {
            let b = model.blend
            parts.append(HTML.text("h3", "Blend policy"))
            parts.append(HTML.keyValues([
                ("direction component", b.directionComponent), ("long component", b.longComponent),
                ("short component", b.shortComponent), ("tree weight", ReportFormat.number(b.treeWeight)),
                ("network weight", ReportFormat.number(b.networkWeight)),
                ("entry threshold", ReportFormat.number(b.entryThreshold)),
                ("veto threshold", ReportFormat.number(b.vetoThreshold)),
                ("Kelly fraction", ReportFormat.number(b.kellyFraction)),
                ("payoff ratio", ReportFormat.number(b.payoffRatio)),
                ("max position", ReportFormat.number(b.maxPosition)),
            ]))
        }
        return HTML.section("model", "Model", parts)
    }

    private static func components(_ model: Modelc_Model) -> String {
        let names = model.features.features.map(\.name)
        let dtypes = Dictionary(model.tensors.map { ($0.name, $0.dtype) }, uniquingKeysWith: { a, _ in a })
        let rows = model.components.map { c -> [String] in
            let features = c.input.features.map { Int($0) < names.count ? names[Int($0)] : "#\($0)" }
            let kinds = c.members.map { m -> String in
                switch m.model {
                case .network: "network"
                case .trees(let e): "trees (\(e.trees.count))"
                case nil: "empty"
                }
            }
            return [c.name, role(c.role), kinds.joined(separator: " + "), "\(c.input.window)",
                    features.joined(separator: ", "), precision(c, dtypes).joined(separator: ", "), calibration(c)]
        }
        return HTML.table(["name", "role", "kind", "window", "features", "precision", "calibration"], rows)
    }

    private static func calibration(_ c: Modelc_Component) -> String {
        switch c.calibrator.method {
        case .platt(let p): return "Platt (a \(ReportFormat.number(p.a)), b \(ReportFormat.number(p.b)))"
        case .isotonic(let i): return "isotonic (\(i.x.count) knots)"
        case nil: return "none"
        }
    }

    private static func role(_ role: Modelc_ComponentRole) -> String {
        switch role {
        case .roleLong: "long"
        case .roleShort: "short"
        case .roleDirection: "direction"
        default: "unspecified"
        }
    }

    /// What each member computes in: its weight tensors' types for a network, the threshold
    /// comparison for trees.
    private static func precision(_ c: Modelc_Component, _ dtypes: [String: Modelc_DType]) -> [String] {
        var seen: [String] = []
        for member in c.members {
            let p: String
            switch member.model {
            case .network(let net):
                let types = Set(tensorNames(net).compactMap { dtypes[$0] })
                p = [Modelc_DType.f32, .f16, .int8].filter(types.contains).map { t in
                    switch t {
                    case .f16: "f16"
                    case .int8: net.int8Compute == .int8Dynamic ? "int8-dynamic" : "int8-weight"
                    default: "f32"
                    }
                }.joined(separator: "+")
            case .trees(let e):
                p = e.precision == .thresholdF64 ? "f64 thresholds" : "f32 thresholds"
            case nil:
                continue
            }
            if !seen.contains(p) { seen.append(p) }
        }
        return seen
    }

    private static func tensorNames(_ net: Modelc_SequenceNetwork) -> [String] {
        net.layers.flatMap { layer -> [String] in
            switch layer.kind {
            case .lstm(let l): [l.forward, l.reverse].flatMap { [$0.weightIh, $0.weightHh, $0.bias] }
            case .attention(let a): [a.inProjWeight, a.inProjBias, a.outProjWeight, a.outProjBias]
            case .dense(let d): [d.weight, d.bias]
            default: []
            }
        }
    }
}
