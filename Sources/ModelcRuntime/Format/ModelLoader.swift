import CModelcSchema
import CProtobufC

/// Turns artifact bytes into a validated `LoadedModel`, reading the body with protobuf-c.
/// Everything a later stage relies on is checked here, so scoring code can trust its input:
/// tensors match their shapes, names are unique, every referenced tensor and feature exists.
public enum ModelLoader {
    public static func load(_ bytes: [UInt8]) throws(ModelcError) -> LoadedModel {
        let (header, body) = try ArtifactFrame.open(bytes)
        let budget = ArtifactLimits.parseAllowance + ArtifactLimits.parseBytesPerBodyByte * body.count
        return try ParseBudget.withAllocator(bytes: budget) { (allocator, exhausted) throws(ModelcError) -> LoadedModel in
            try body.withUnsafeBufferPointer { (buf) throws(ModelcError) -> LoadedModel in
                // What protobuf-c lets through and swift-protobuf refuses (long tags, field 0).
                guard withUnsafePointer(to: modelc__model__descriptor, { modelc_wire_valid($0, buf.baseAddress, buf.count) }) != 0,
                      let msg = modelc__model__unpack(allocator, buf.count, buf.baseAddress) else {
                    if exhausted() {
                        throw ModelcError(.limitExceeded,
                            "body (\(buf.count) bytes) needs more than \(budget) bytes of memory to parse (limit: \(ArtifactLimits.parseBytesPerBodyByte) per body byte + 16 MiB)")
                    }
                    throw ModelcError(.invalidBody, "body (\(buf.count) bytes) is not a valid Model message")
                }
                defer { modelc__model__free_unpacked(msg, allocator) }
                try checkUTF8(msg, .invalidBody, "body")
                return try convert(msg.pointee, header: header)
            }
        }
    }

    private static func convert(_ m: Modelc__Model, header: ArtifactHeader) throws(ModelcError) -> LoadedModel {
        var model = LoadedModel(
            header: header, name: "", version: "", producer: "", producerVersion: "", createdUnix: 0,
            intervalSeconds: 0, warmup: 0, features: [], components: [], blend: nil, tensors: [])
        if let info = m.info?.pointee {
            model.name = try string(info.name, "info.name")
            model.version = try string(info.version, "info.version")
            model.producer = try string(info.producer, "info.producer")
            model.producerVersion = try string(info.producer_version, "info.producer_version")
            model.createdUnix = info.created_unix
        }
        if let spec = m.features?.pointee {
            model.intervalSeconds = Int(spec.interval_seconds)
            model.warmup = Int(spec.warmup)
            try limit(Int(spec.warmup), ArtifactLimits.maxWarmup, "feature warm-up (candles)")
            try limit(spec.n_features, ArtifactLimits.maxFeatures, "features")
            for i in 0..<spec.n_features {
                model.features.append(try feature(spec.features[i]!.pointee, index: i))
            }
            // What a stream would refuse is refused here, so an artifact that opens can be scored.
            if !model.features.isEmpty {
                _ = try FeatureEngine.plan(model.features, intervalSeconds: model.intervalSeconds, warmup: model.warmup)
            }
        }
        try limit(m.n_tensors, ArtifactLimits.maxTensors, "tensors")
        try limit(m.n_components, ArtifactLimits.maxComponents, "components")
        for i in 0..<m.n_tensors {
            let t = m.tensors[i]!.pointee
            let name = try string(t.name, "tensor \(i) name")
            if model.tensor(named: name) != nil {
                throw ModelcError(.invalidModel, "tensor name '\(name)' is used twice")
            }
            model.tensors.append(try TensorData(
                name: name, dtypeRaw: t.dtype.rawValue,
                shape: copiedArray(t.shape, t.n_shape),
                data: copiedArray(t.data.data, t.data.len),
                scales: copiedArray(t.scales, t.n_scales)))
        }
        for i in 0..<m.n_components {
            let c = try component(m.components[i]!.pointee, model: model)
            if model.components.contains(where: { sameBytes($0.name, c.name) }) {
                throw ModelcError(.invalidModel, "component name '\(c.name)' is used twice")
            }
            model.components.append(c)
        }
        if let b = m.blend?.pointee { model.blend = try blend(b, components: model.components) }
        return model
    }

    private static func blend(_ b: Modelc__BlendPolicy, components: [ComponentDefinition]) throws(ModelcError) -> BlendDefinition {
        func named(_ field: String, _ wanted: String, _ role: ComponentRole) throws(ModelcError) -> Int {
            for (i, c) in components.enumerated() where sameBytes(c.name, wanted) {
                guard c.role == role else {
                    throw ModelcError(.invalidModel, "blend.\(field) names component '\(wanted)', whose role does not fit")
                }
                return i
            }
            throw ModelcError(.invalidModel, "blend.\(field) names component '\(wanted)', which does not exist")
        }
        func resolve(_ field: String, _ name: UnsafeMutablePointer<CChar>?, _ role: ComponentRole) throws(ModelcError) -> Int? {
            let wanted = try string(name, "blend.\(field)")
            return wanted.isEmpty ? nil : try named(field, wanted, role)
        }
        func check(_ ok: Bool, _ what: String) throws(ModelcError) {
            if !ok { throw ModelcError(.invalidModel, "blend: \(what)") }
        }
        var def = BlendDefinition()
        guard let mode = BlendDefinition.Mode(rawValue: b.mode.rawValue) else {
            throw ModelcError(.invalidModel, "blend: unknown mode \(b.mode.rawValue)")
        }
        def.mode = mode
        def.maxPosition = b.max_position
        try check(def.maxPosition > 0 && def.maxPosition <= 1, "max_position must be in (0, 1]")
        switch mode {
        case .direction:
            def.direction = try resolve("direction_component", b.direction_component, .direction)
            def.long = try resolve("long_component", b.long_component, .long)
            def.short = try resolve("short_component", b.short_component, .short)
            def.treeWeight = b.tree_weight
            def.networkWeight = b.network_weight
            def.entryThreshold = b.entry_threshold
            def.vetoThreshold = b.veto_threshold
            def.kellyFraction = b.kelly_fraction
            def.payoffRatio = b.payoff_ratio
            try check(def.treeWeight >= 0 && def.networkWeight >= 0 && def.treeWeight + def.networkWeight > 0
                      && (def.treeWeight + def.networkWeight).isFinite, "tree_weight and network_weight must be >= 0 with a positive finite sum")
            try check(def.entryThreshold >= 0 && def.entryThreshold <= 1, "entry_threshold must be in [0, 1]")
            try check(def.vetoThreshold >= 0 && def.vetoThreshold <= 1, "veto_threshold must be in [0, 1]")
            try check(def.kellyFraction >= 0 && def.kellyFraction.isFinite, "kelly_fraction must be finite and >= 0")
            try check(def.payoffRatio > 0 && def.payoffRatio.isFinite, "payoff_ratio must be finite and > 0")
        case .specialists:
            func inputs(_ field: String, _ n: Int, _ list: UnsafeMutablePointer<UnsafeMutablePointer<Modelc__BlendInput>?>?,
                        _ role: ComponentRole) throws(ModelcError) -> [BlendInput] {
                try limit(n, ArtifactLimits.maxBlendInputs, "blend.\(field)")
                var out: [BlendInput] = []
                var total = 0.0
                for i in 0..<n {
                    let input = list![i]!.pointee
                    let name = try string(input.component, "blend.\(field)[\(i)].component")
                    let index = try named("\(field)[\(i)]", name, role)
                    try check(input.weight.isFinite && input.weight >= 0, "\(field)[\(i)] weight must be finite and >= 0")
                    out.append(BlendInput(component: index, weight: input.weight))
                    total += input.weight
                }
                try check(n == 0 || total > 0, "\(field) weights must have a positive sum")
                return out
            }
            def.longInputs = try inputs("long_inputs", b.n_long_inputs, b.long_inputs, .long)
            def.shortInputs = try inputs("short_inputs", b.n_short_inputs, b.short_inputs, .short)
            try check(!def.longInputs.isEmpty || !def.shortInputs.isEmpty, "a specialists blend needs long_inputs or short_inputs")
            def.longEntry = b.long_entry
            def.shortEntry = b.short_entry
            def.longVeto = b.long_veto
            def.shortVeto = b.short_veto
            for (name, v) in [("long_entry", def.longEntry), ("short_entry", def.shortEntry), ("long_veto", def.longVeto),
                              ("short_veto", def.shortVeto)] {
                try check(v.isFinite && v >= 0, "\(name) must be finite and >= 0")
            }
            def.hold = Int(b.hold)
            try check(def.hold >= 1 && def.hold <= ArtifactLimits.maxHold, "hold must be in 1...\(ArtifactLimits.maxHold) candles")
        }
        return def
    }

    private static func calibrator(_ c: Modelc__Calibrator, component: String) throws(ModelcError) -> Calibrator {
        let out: Calibrator
        switch c.method_case {
        case MODELC__CALIBRATOR__METHOD_PLATT:
            out = .platt(a: c.platt.pointee.a, b: c.platt.pointee.b)
        case MODELC__CALIBRATOR__METHOD_ISOTONIC:
            let iso = c.isotonic.pointee
            try limit(iso.n_x, ArtifactLimits.maxCalibrationKnots, "component '\(component)': calibrator knots")
            try limit(iso.n_y, ArtifactLimits.maxCalibrationKnots, "component '\(component)': calibrator knots")
            out = .isotonic(x: copiedArray(iso.x, iso.n_x),
                            y: copiedArray(iso.y, iso.n_y))
        default:
            throw ModelcError(.invalidModel, "component '\(component)': calibrator has no method")
        }
        try out.validate(component: component)
        return out
    }

    private static func feature(_ f: Modelc__Feature, index: Int) throws(ModelcError) -> FeatureDefinition {
        let name = try string(f.name, "feature \(index) name")
        guard let kind = FeatureKind(rawValue: f.kind.rawValue) else {
            throw ModelcError(.invalidModel, "feature \(index) '\(name)': unknown kind \(f.kind.rawValue)")
        }
        return FeatureDefinition(name: name, kind: kind, params: copiedArray(f.params, f.n_params))
    }

    private static func component(_ c: Modelc__Component, model: LoadedModel) throws(ModelcError) -> ComponentDefinition {
        let name = try string(c.name, "component name")
        guard let role = ComponentRole(rawValue: c.role.rawValue) else {
            throw ModelcError(.invalidModel, "component '\(name)': unknown role \(c.role.rawValue)")
        }
        var inputs: [Int] = []
        var names: [String] = []
        var window = 0
        if let input = c.input?.pointee {
            window = Int(input.window)
            try limit(window, ArtifactLimits.maxWindow, "component '\(name)': window (timesteps)")
            try limit(input.n_features, ArtifactLimits.maxFeatures, "component '\(name)': inputs")
            for i in 0..<input.n_features {
                let index = Int(input.features[i])
                guard index < model.features.count else {
                    throw ModelcError(.invalidModel,
                        "component '\(name)': input \(i) reads feature \(index), the artifact defines \(model.features.count)")
                }
                inputs.append(index)
            }
            try limit(input.n_names, ArtifactLimits.maxFeatures, "component '\(name)': input names")
            for i in 0..<input.n_names { names.append(try string(input.names[i], "component '\(name)': input name \(i)")) }
        }
        guard inputs.isEmpty || names.isEmpty else {
            throw ModelcError(.invalidModel, "component '\(name)' lists both features and input names; it reads one or the other")
        }
        let inputCount = inputs.isEmpty ? names.count : inputs.count
        guard inputs.isEmpty == model.features.isEmpty else {
            throw ModelcError(.invalidModel,
                "component '\(name)' reads none of the model's \(model.features.count) features: a model that computes features from candles scores every component from them")
        }
        var members: [MemberDefinition] = []
        try limit(c.n_members, ArtifactLimits.maxMembers, "component '\(name)': members")
        for i in 0..<c.n_members {
            let member = c.members[i]!.pointee
            switch member.model_case {
            case MODELC__MEMBER__MODEL_NETWORK:
                let net = try NetworkLoader.load(member.network.pointee, component: name, model: model)
                guard net.inputSize == inputCount, net.sequenceLength == window else {
                    throw ModelcError(.invalidModel,
                        "component '\(name)': member \(i) reads \(net.sequenceLength) x \(net.inputSize), the component provides \(window) x \(inputCount)")
                }
                members.append(MemberDefinition(weight: member.weight, kind: .network(net)))
            case MODELC__MEMBER__MODEL_TREES:
                let context = "component '\(name)', member \(i)"
                let forest = try TreeForest(TreeEnsembleDefinition(member.trees.pointee, context: context), context: context)
                members.append(MemberDefinition(weight: member.weight, kind: .trees(forest)))
            default:
                throw ModelcError(.invalidModel, "component '\(name)': member \(i) has no model")
            }
        }
        guard let combine = MemberCombine(rawValue: c.combine.rawValue) else {
            throw ModelcError(.invalidModel, "component '\(name)': unknown combine rule \(c.combine.rawValue)")
        }
        var scaler: ScalerDefinition?
        if let s = c.input?.pointee.scaler { scaler = try Self.scaler(s.pointee, inputs: inputCount, component: name) }
        var component = ComponentDefinition(name: name, role: role, inputFeatures: inputs, window: window, scaler: scaler,
                                            members: members, combine: combine, inputNames: names)
        if let cal = c.calibrator?.pointee { component.calibrator = try calibrator(cal, component: name) }
        let treeMembers = component.memberTrees.filter { $0 != nil }.count
        guard treeMembers == 0 || treeMembers == members.count else {
            throw ModelcError(.invalidModel, "component '\(name)': members must be all networks or all tree ensembles")
        }
        try component.validate()
        return component
    }

    private static func scaler(_ s: Modelc__Scaler, inputs: Int, component: String) throws(ModelcError) -> ScalerDefinition? {
        switch s.kind {
        case MODELC__SCALER_KIND__SCALER_NONE:
            return nil
        case MODELC__SCALER_KIND__SCALER_STANDARD, MODELC__SCALER_KIND__SCALER_MIN_MAX:
            guard s.n_shift == inputs, s.n_scale == inputs else {
                throw ModelcError(.invalidModel,
                    "component '\(component)': scaler has \(s.n_shift) shifts and \(s.n_scale) scales for \(inputs) inputs")
            }
            let shift = copiedArray(s.shift, inputs)
            let scale = copiedArray(s.scale, inputs)
            for i in 0..<inputs where !(shift[i].isFinite && scale[i].isFinite) {
                throw ModelcError(.invalidModel, "component '\(component)': scaler value \(i) is not finite")
            }
            return ScalerDefinition(shift: shift, scale: scale, folded: s.folded != 0)
        default:
            throw ModelcError(.invalidModel, "component '\(component)': unknown scaler kind \(s.kind.rawValue)")
        }
    }
}

/// A protobuf-c string field as a Swift string (protobuf-c uses "" for unset strings), refused
/// (`limit exceeded`, naming `field`) when longer than `ArtifactLimits.maxStringBytes`.
func string(_ p: UnsafeMutablePointer<CChar>?, _ field: String) throws(ModelcError) -> String {
    guard let p else { return "" }
    var n = 0
    while p[n] != 0 {
        n += 1
        guard n <= ArtifactLimits.maxStringBytes else {
            throw ModelcError(.limitExceeded, "\(field): string longer than the limit of \(ArtifactLimits.maxStringBytes) bytes")
        }
    }
    return String(cString: p)
}

/// Refuses (`limit exceeded`) a count from the artifact above its limit, before anything is
/// allocated or looped over for it.
func limit(_ count: Int, _ max: Int, _ what: String) throws(ModelcError) {
    guard count <= max else {
        throw ModelcError(.limitExceeded, "\(what): \(count) exceeds the limit of \(max)")
    }
}
