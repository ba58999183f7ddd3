import CModelcSchema
import CProtobufC

/// Turns artifact bytes into a validated `LoadedModel`, reading the body with protobuf-c.
/// Everything a later stage relies on is checked here, so scoring code can trust its input:
/// tensors match their shapes, names are unique, every referenced tensor and feature exists.
public enum ModelLoader {
    public static func load(_ bytes: [UInt8]) throws(ModelcError) -> LoadedModel {
        let (header, body) = try ArtifactFrame.open(bytes)
        return try body.withUnsafeBufferPointer { (buf) throws(ModelcError) -> LoadedModel in
            guard let msg = modelc__model__unpack(nil, buf.count, buf.baseAddress) else {
                throw ModelcError(.invalidBody, "body (\(buf.count) bytes) is not a valid Model message")
            }
            defer { modelc__model__free_unpacked(msg, nil) }
            return try convert(msg.pointee, header: header)
        }
    }

    private static func convert(_ m: Modelc__Model, header: ArtifactHeader) throws(ModelcError) -> LoadedModel {
        var model = LoadedModel(
            header: header, name: "", version: "", producer: "", producerVersion: "", createdUnix: 0,
            intervalSeconds: 0, warmup: 0, features: [], components: [], tensors: [])
        if let info = m.info?.pointee {
            model.name = string(info.name)
            model.version = string(info.version)
            model.producer = string(info.producer)
            model.producerVersion = string(info.producer_version)
            model.createdUnix = info.created_unix
        }
        if let spec = m.features?.pointee {
            model.intervalSeconds = Int(spec.interval_seconds)
            model.warmup = Int(spec.warmup)
            for i in 0..<spec.n_features {
                model.features.append(try feature(spec.features[i]!.pointee, index: i))
            }
        }
        for i in 0..<m.n_tensors {
            let t = m.tensors[i]!.pointee
            let name = string(t.name)
            if model.tensor(named: name) != nil {
                throw ModelcError(.invalidModel, "tensor name '\(name)' is used twice")
            }
            model.tensors.append(try TensorData(
                name: name, dtypeRaw: t.dtype.rawValue,
                shape: Array(UnsafeBufferPointer(start: t.shape, count: t.n_shape)),
                data: Array(UnsafeBufferPointer(start: t.data.data, count: t.data.len)),
                scales: Array(UnsafeBufferPointer(start: t.scales, count: t.n_scales))))
        }
        for i in 0..<m.n_components {
            model.components.append(try component(m.components[i]!.pointee, model: model))
        }
        return model
    }

    private static func feature(_ f: Modelc__Feature, index: Int) throws(ModelcError) -> FeatureDefinition {
        let name = string(f.name)
        guard let kind = FeatureKind(rawValue: f.kind.rawValue) else {
            throw ModelcError(.invalidModel, "feature \(index) '\(name)': unknown kind \(f.kind.rawValue)")
        }
        return FeatureDefinition(name: name, kind: kind, params: Array(UnsafeBufferPointer(start: f.params, count: f.n_params)))
    }

    private static func component(_ c: Modelc__Component, model: LoadedModel) throws(ModelcError) -> ComponentDefinition {
        let name = string(c.name)
        guard let role = ComponentRole(rawValue: c.role.rawValue) else {
            throw ModelcError(.invalidModel, "component '\(name)': unknown role \(c.role.rawValue)")
        }
        var inputs: [Int] = []
        var window = 0
        if let input = c.input?.pointee {
            window = Int(input.window)
            for i in 0..<input.n_features {
                let index = Int(input.features[i])
                guard index < model.features.count else {
                    throw ModelcError(.invalidModel,
                        "component '\(name)': input \(i) reads feature \(index), the artifact defines \(model.features.count)")
                }
                inputs.append(index)
            }
        }
        var members: [MemberKind] = []
        var weights: [Double] = []
        var trees: [TreeForest?] = []
        for i in 0..<c.n_members {
            let member = c.members[i]!.pointee
            weights.append(member.weight)
            var forest: TreeForest?
            switch member.model_case {
            case MODELC__MEMBER__MODEL_NETWORK:
                let net = member.network.pointee
                for l in 0..<net.n_layers {
                    try checkTensors(of: net.layers[l]!.pointee, component: name, model: model)
                }
                members.append(.network(layers: net.n_layers))
            case MODELC__MEMBER__MODEL_TREES:
                members.append(.trees(count: member.trees.pointee.n_trees))
                let context = "component '\(name)', member \(i)"
                forest = try TreeForest(TreeEnsembleDefinition(member.trees.pointee, context: context), context: context)
            default:
                throw ModelcError(.invalidModel, "component '\(name)': member \(i) has no model")
            }
            trees.append(forest)
        }
        guard let combine = MemberCombine(rawValue: c.combine.rawValue) else {
            throw ModelcError(.invalidModel, "component '\(name)': unknown member combine \(c.combine.rawValue)")
        }
        let component = ComponentDefinition(name: name, role: role, inputFeatures: inputs, window: window, members: members,
                                            memberWeights: weights, combine: combine, memberTrees: trees)
        try component.validateTreeMembers()
        return component
    }

    /// Every tensor a layer names must exist.
    private static func checkTensors(of layer: Modelc__Layer, component: String, model: LoadedModel) throws(ModelcError) {
        var names: [UnsafeMutablePointer<CChar>?] = []
        switch layer.kind_case {
        case MODELC__LAYER__KIND_LSTM:
            let lstm = layer.lstm.pointee
            for w in [lstm.forward, lstm.reverse] {
                if let w = w?.pointee { names += [w.weight_ih, w.weight_hh, w.bias] }
            }
        case MODELC__LAYER__KIND_ATTENTION:
            let a = layer.attention.pointee
            names = [a.in_proj_weight, a.in_proj_bias, a.out_proj_weight, a.out_proj_bias]
        case MODELC__LAYER__KIND_DENSE:
            names = [layer.dense.pointee.weight]
            if string(layer.dense.pointee.bias) != "" { names.append(layer.dense.pointee.bias) }
        default:
            return
        }
        for n in names {
            let tensor = string(n)
            guard model.tensor(named: tensor) != nil else {
                throw ModelcError(.invalidModel,
                    "component '\(component)', layer '\(string(layer.name))': tensor '\(tensor)' is missing")
            }
        }
    }
}

/// A protobuf-c string field as a Swift string (protobuf-c uses "" for unset strings).
func string(_ p: UnsafeMutablePointer<CChar>?) -> String {
    guard let p else { return "" }
    return String(cString: p)
}
