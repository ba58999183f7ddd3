import Foundation
import ModelcRuntime
import SwiftProtobuf

extension ArtifactSummary {
    /// Summarises a validated artifact.
    public init(_ artifact: Artifact, file: String, fileBytes: Int) {
        let m = artifact.model, h = artifact.header
        let elements = Dictionary(uniqueKeysWithValues: artifact.loaded.tensors.map { ($0.name, $0.elementCount) })
        self.file = file
        self.fileBytes = fileBytes
        header = Header(
            format: "\(h.formatMajor).\(h.formatMinor)", requiredCapabilities: h.requiredCapabilities,
            compression: h.compression == .zstd ? "zstd" : "none", storedBodyBytes: h.bodyLength,
            bodyBytes: h.uncompressedLength, bodyCRC32C: String(format: "%08x", h.bodyCRC32C), signed: h.isSigned,
            signature: Self.describe(artifact.signatureCheck))
        info = Info(
            name: m.info.name, version: m.info.version, created: Self.iso8601(m.info.createdUnix),
            producer: m.info.producer, producerVersion: m.info.producerVersion, dataDigest: m.info.dataDigest,
            configDigest: m.info.configDigest, description: m.info.description_p, metadata: m.info.metadata)
        intervalSeconds = Int(m.features.intervalSeconds)
        warmup = Int(m.features.warmup)
        features = m.features.features.enumerated().map { i, f in
            Feature(index: i, name: f.name, kind: Self.name(of: f.kind), params: f.params)
        }
        let featureNames = m.features.features.map(\.name)
        components = m.components.map { c in
            Component(
                name: c.name, role: Self.name(of: c.role),
                inputFeatures: c.input.features.isEmpty ? c.input.names  // an imported model's declared columns
                    : c.input.features.map { Int($0) < featureNames.count ? featureNames[Int($0)] : "#\($0)" },
                window: Int(c.input.window), scaler: Self.describe(c.input.scaler),
                combine: c.combine == .combineMeanMargin ? "mean-margin" : "mean-probability",
                members: c.members.map { Self.member($0, elements: elements) })
        }
        blend = Self.describe(m.blend)
        tensors = m.tensors.map { Tensor(name: $0.name, dtype: Self.name(of: $0.dtype), shape: $0.shape, bytes: $0.data.count + 4 * $0.scales.count) }
        totalParameters = components.flatMap(\.members).reduce(0) { $0 + $1.parameters }
        tensorBytes = tensors.reduce(0) { $0 + $1.bytes }
        card = Card(
            windows: m.card.windows.count,
            overall: Dictionary(m.card.overall.map { ("\($0.component).\($0.name)", $0.value) }, uniquingKeysWith: { a, _ in a }),
            backtest: m.card.hasBacktest ? [
                "sharpe": m.card.backtest.sharpe, "max_drawdown": m.card.backtest.maxDrawdown,
                "total_return": m.card.backtest.totalReturn, "win_rate": m.card.backtest.winRate,
                "trades": Double(m.card.backtest.trades), "exposure": m.card.backtest.exposure,
                "fee": m.card.backtest.fee, "slippage": m.card.backtest.slippage,
                "start": Double(m.card.backtest.start), "end": Double(m.card.backtest.end),
            ] : nil,
            fidelity: Dictionary(m.card.fidelity.map { f in
                ("\(f.component)/\(f.precision)", ["max_abs_delta": f.maxAbsDelta, "p99_abs_delta": f.p99AbsDelta,
                                                  "decision_agreement": f.decisionAgreement])
            }, uniquingKeysWith: { a, _ in a }),
            notes: m.card.notes, headline: m.card.headline)
    }

    private static func describe(_ check: Result<String, SigningError>?) -> String {
        switch check {
        case nil: "none"
        case .success(let keyID): "intact, key \(keyID) (who signed is not checked: modelc verify --key)"
        case .failure(let error): "does not verify: \(error)"
        }
    }

    private static func member(_ member: Modelc_Member, elements: [String: Int]) -> Member {
        switch member.model {
        case .network(let net):
            let layers = net.layers.map { layer(for: $0, elements: elements) }
            return Member(weight: member.weight, kind: "network", layers: layers, trees: nil,
                          parameters: layers.reduce(0) { $0 + $1.parameters })
        case .trees(let e):
            let nodes = e.trees.reduce(0) { $0 + $1.leftChild.count }
            let leaves = e.trees.reduce(0) { $0 + $1.leftChild.filter { $0 < 0 }.count }
            let trees = Trees(
                trees: e.trees.count, nodes: nodes, leaves: leaves, maxDepth: e.trees.map(depth).max() ?? 0,
                baseScore: e.baseScore, link: e.link == .logistic ? "logistic" : e.link == .softmax ? "softmax of \(e.numClass) classes, class \(e.outputClass)" : "identity",
                comparison: e.comparison == .splitLessEqual ? "x <= t" : "x < t",
                thresholdPrecision: e.precision == .thresholdF64 ? "f64" : "f32",
                source: ["native", "xgboost", "lightgbm"][min(e.source.rawValue, 2)])
            return Member(weight: member.weight, kind: "trees", layers: nil, trees: trees, parameters: nodes)
        case nil:
            return Member(weight: member.weight, kind: "empty", layers: nil, trees: nil, parameters: 0)
        }
    }

    private static func layer(for layer: Modelc_Layer, elements: [String: Int]) -> Layer {
        func count(_ names: [String]) -> Int { names.reduce(0) { $0 + (elements[$1] ?? 0) } }
        switch layer.kind {
        case .lstm(let l):
            let bi = l.direction == .lstmBidirectional
            let names = [l.forward, l.reverse].flatMap { [$0.weightIh, $0.weightHh, $0.bias] }
            return Layer(name: layer.name, type: bi ? "BiLSTM" : "LSTM",
                         shape: "\(l.inputSize) -> \(bi ? 2 * l.hiddenSize : l.hiddenSize)", parameters: count(names))
        case .attention(let a):
            return Layer(name: layer.name, type: "MultiHeadAttention",
                         shape: "\(a.embedDim), \(a.numHeads) heads, \(a.query == .queryLastStep ? "last query" : "all queries")",
                         parameters: count([a.inProjWeight, a.inProjBias, a.outProjWeight, a.outProjBias]))
        case .dense(let d):
            return Layer(name: layer.name, type: "Dense", shape: "\(d.inFeatures) -> \(d.outFeatures)",
                         parameters: count([d.weight, d.bias]))
        case .activation(let a):
            return Layer(name: layer.name, type: name(of: a), shape: "", parameters: 0)
        case .pooling(let p):
            return Layer(name: layer.name, type: p == .poolingMean ? "MeanPool" : "LastStep", shape: "", parameters: 0)
        case nil:
            return Layer(name: layer.name, type: "empty", shape: "", parameters: 0)
        }
    }

    /// Depth of a tree stored as parallel arrays (children have larger indices than parents).
    private static func depth(_ tree: Modelc_Tree) -> Int {
        var depths = [Int](repeating: 0, count: tree.leftChild.count)
        for i in 0..<tree.leftChild.count where tree.leftChild[i] >= 0 {
            for child in [Int(tree.leftChild[i]), Int(tree.rightChild[i])] where child > i && child < depths.count {
                depths[child] = depths[i] + 1
            }
        }
        return depths.max() ?? 0
    }

    private static func describe(_ s: Modelc_Scaler) -> String {
        let kind = switch s.kind {
        case .scalerStandard: "standard"
        case .scalerMinMax: "min-max"
        default: "none"
        }
        return s.folded ? "\(kind) (folded into first layer)" : kind
    }

    private static func describe(_ b: Modelc_BlendPolicy) -> [String: String] {
        if b.mode == .blendSpecialists {
            func inputs(_ list: [Modelc_BlendInput]) -> String { list.map { "\($0.component)*\($0.weight)" }.joined(separator: " + ") }
            return [
                "mode": "specialists", "long_inputs": inputs(b.longInputs), "short_inputs": inputs(b.shortInputs),
                "long_entry": "\(b.longEntry)", "short_entry": "\(b.shortEntry)", "long_veto": "\(b.longVeto)",
                "short_veto": "\(b.shortVeto)", "hold": "\(b.hold)", "max_position": "\(b.maxPosition)",
            ]
        }
        return [
            "mode": "direction",
            "direction_component": b.directionComponent, "long_component": b.longComponent,
            "short_component": b.shortComponent, "tree_weight": "\(b.treeWeight)",
            "network_weight": "\(b.networkWeight)", "entry_threshold": "\(b.entryThreshold)",
            "veto_threshold": "\(b.vetoThreshold)", "kelly_fraction": "\(b.kellyFraction)",
            "payoff_ratio": "\(b.payoffRatio)", "max_position": "\(b.maxPosition)",
        ]
    }

    /// An enum case's Swift name without its type prefix: `.roleLong` -> "long".
    private static func name<E: SwiftProtobuf.Enum>(of value: E) -> String {
        var s = "\(value)"
        for prefix in ["role", "dtype", "activation"] where s.hasPrefix(prefix) && s.count > prefix.count {
            s = String(s.dropFirst(prefix.count))
            return s.prefix(1).lowercased() + s.dropFirst()
        }
        return s
    }

    static func iso8601(_ unix: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(unix)))
    }
}
