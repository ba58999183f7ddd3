import ModelcFormat
import ModelcRuntime

/// Joins single-component artifacts (say, imported XGBoost trees and two PyTorch networks) into
/// one dual model with the default blend: features are merged (a feature is its kind and
/// parameters), inputs re-indexed, tensors prefixed with their new component's name.
public enum ArtifactComposer {
    public struct Part {
        public var model: Modelc_Model
        public var file: String
        /// The candle features a part without a feature spec (an imported tree model) reads, in
        /// its column order.
        public var features: [FeatureDefinition]?

        public init(model: Modelc_Model, file: String, features: [FeatureDefinition]? = nil) {
            self.model = model
            self.file = file
            self.features = features
        }
    }

    /// A component to be: its name and role in the composed model, and where it comes from.
    public struct Slot {
        public var name: String
        public var role: Modelc_ComponentRole
        public var part: Part

        public init(name: String, role: Modelc_ComponentRole, part: Part) {
            self.name = name
            self.role = role
            self.part = part
        }
    }

    /// The format-1.0 dual model: components `direction`, `long` and `short` with the default
    /// direction blend (Spec.md §4.6.1).
    public static func compose(name: String, version: String, direction: Part?, long: Part?, short: Part?) throws -> Modelc_Model {
        var slots: [Slot] = []
        if let direction { slots.append(Slot(name: "direction", role: .roleDirection, part: direction)) }
        if let long { slots.append(Slot(name: "long", role: .roleLong, part: long)) }
        if let short { slots.append(Slot(name: "short", role: .roleShort, part: short)) }
        var out = try compose(name: name, version: version, slots: slots)
        out.blend = BlendDefaults.policy(direction: direction == nil ? "" : "direction", long: long == nil ? "" : "long",
                                         short: short == nil ? "" : "short")
        return out
    }

    /// Joins the slots' single-component artifacts, in order, without a blend (the caller sets it).
    public static func compose(name: String, version: String, slots: [Slot]) throws -> Modelc_Model {
        var out = Modelc_Model()
        out.info.name = name
        out.info.version = version
        out.info.producer = "modelc"
        out.info.producerVersion = ModelcVersion.string
        var interval: UInt32?
        var parts: [String] = []
        for s in slots {
            let slot = s.name, role = s.role, part = s.part
            guard part.model.components.count == 1 else {
                throw ImportError(part.file, "has \(part.model.components.count) components; compose takes single-component artifacts")
            }
            var component = part.model.components[0]
            let features = try features(of: part, component)
            let spec = part.model.features
            if !spec.features.isEmpty {
                if let interval, interval != spec.intervalSeconds {
                    throw ImportError(part.file, "candle interval \(spec.intervalSeconds) s differs from the other parts' \(interval) s")
                }
                interval = spec.intervalSeconds
            }
            out.features.warmup = max(out.features.warmup, spec.warmup == 0 ? UInt32(FeatureCatalog.defaultWarmup) : spec.warmup)
            component.input.features = features.map { f in UInt32(index(of: f, in: &out.features.features)) }
            component.input.names = []  // an imported part's column names: now the features above
            if component.input.window == 0 { component.input.window = 1 }
            component.name = slot
            component.role = role
            let prefix = "\(slot)/"
            var renamed: [String: String] = [:]
            for var t in part.model.tensors {
                let base = t.name.split(separator: "/", maxSplits: 1).last.map(String.init) ?? t.name
                renamed[t.name] = prefix + base
                t.name = prefix + base
                out.tensors.append(t)
            }
            for m in component.members.indices {
                if case .network(var net) = component.members[m].model {
                    for l in net.layers.indices { net.layers[l].rename(renamed) }
                    component.members[m].network = net
                }
            }
            out.components.append(component)
            parts.append("\(slot)=\(part.file)")
        }
        guard !out.components.isEmpty else { throw CompilerError("compose needs at least one part") }
        out.features.intervalSeconds = interval ?? 3600
        out.info.metadata = ["composed_from": parts.joined(separator: " ")]
        return out
    }

    /// The candle features a part's component reads, in input order.
    private static func features(of part: Part, _ c: Modelc_Component) throws -> [FeatureDefinition] {
        if !c.input.features.isEmpty {
            return try c.input.features.map { i in
                guard Int(i) < part.model.features.features.count else {
                    throw ImportError(part.file, "input reads feature \(i), the artifact defines \(part.model.features.features.count)")
                }
                let f = part.model.features.features[Int(i)]
                guard let kind = FeatureKind(rawValue: UInt32(f.kind.rawValue)) else {
                    throw ImportError(part.file, "feature '\(f.name)' has an unknown kind")
                }
                return FeatureDefinition(name: f.name, kind: kind, params: f.params)
            }
        }
        guard let given = part.features else {
            throw ImportError(part.file, "its component reads no candle features; say which features its columns are")
        }
        if case .trees(let e) = c.members.first?.model, Int(e.numFeatures) != given.count {
            throw ImportError(part.file, "the trees read \(e.numFeatures) columns, \(given.count) features were given")
        }
        return given
    }

    private static func index(of f: FeatureDefinition, in list: inout [Modelc_Feature]) -> Int {
        if let i = list.firstIndex(where: { $0.kind.rawValue == Int(f.kind.rawValue) && $0.params == f.params }) { return i }
        list.append(Modelc_Feature(f))
        return list.count - 1
    }
}

extension Modelc_Layer {
    /// Points the layer's tensor names through `map`.
    mutating func rename(_ map: [String: String]) {
        func r(_ s: inout String) { if let n = map[s] { s = n } }
        switch kind {
        case .lstm(var l):
            r(&l.forward.weightIh); r(&l.forward.weightHh); r(&l.forward.bias)
            if l.hasReverse { r(&l.reverse.weightIh); r(&l.reverse.weightHh); r(&l.reverse.bias) }
            lstm = l
        case .attention(var a):
            r(&a.inProjWeight); r(&a.inProjBias); r(&a.outProjWeight); r(&a.outProjBias)
            attention = a
        case .dense(var d):
            r(&d.weight); r(&d.bias)
            dense = d
        default:
            break
        }
    }
}
