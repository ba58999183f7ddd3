import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import ModelcTraining

/// Turns trained components into an artifact model: networks go through the PyTorch importer
/// (the path a user's own weights take, so train/serve parity is tested once), with the
/// standardisation they were trained on as the component's scaler; trees through
/// `TrainedTreesExport`, one member per growth policy; the composer joins them. Calibrators and
/// the fitted blend are set by the pipeline afterwards.
struct ArtifactAssembly {
    let config: BuildConfig
    let interval: Int64
    /// Components imported from other libraries, the same in every window.
    let imported: ImportedParts

    /// The f32 model before the compiler passes, with `policy` as its blend (specialists) or the
    /// configured direction blend.
    func model(_ trained: TrainedComponents, policy: SpecialistPolicy) throws -> Modelc_Model {
        var slots: [ArtifactComposer.Slot] = []
        if let direction = imported.trees { slots.append(.init(name: ComponentSlot.direction.rawValue, role: .roleDirection, part: direction)) }
        for t in trained.trees {
            var component = Modelc_Component()
            component.input.window = 1
            component.combine = .combineMeanProbability
            component.members = t.forests.map { forest in
                var member = Modelc_Member()
                member.weight = 1
                member.trees = TrainedTreesExport.ensemble(forest)
                return member
            }
            var m = Modelc_Model()
            m.components = [component]
            let slot = ComponentSlot.trees(t.target)
            slots.append(.init(name: slot.rawValue, role: slot.role,
                               part: ArtifactComposer.Part(model: m, file: "trained \(t.target.rawValue) trees", features: config.trees.features)))
        }
        if let long = try trained.long.map({ ArtifactComposer.Part(model: try network($0, role: "long"), file: "trained LONG network") }) ?? imported.long {
            slots.append(.init(name: ComponentSlot.long.rawValue, role: .roleLong, part: long))
        }
        if let short = try trained.short.map({ ArtifactComposer.Part(model: try network($0, role: "short"), file: "trained SHORT network") }) ?? imported.short {
            slots.append(.init(name: ComponentSlot.short.rawValue, role: .roleShort, part: short))
        }
        var model = try ArtifactComposer.compose(name: config.name, version: config.version, slots: slots)
        model.features.intervalSeconds = UInt32(interval)
        model.features.warmup = UInt32(config.warmup)
        let names = model.components.map(\.name)
        if config.trees.enabled && config.trees.isDirection {
            let b = config.blend
            model.blend = BlendDefaults.policy(direction: names.contains("direction") ? "direction" : "",
                                               long: names.contains("long") ? "long" : "", short: names.contains("short") ? "short" : "")
            model.blend.treeWeight = b.treeWeight
            model.blend.networkWeight = b.networkWeight
            model.blend.entryThreshold = b.entryThreshold
            model.blend.vetoThreshold = b.vetoThreshold
            model.blend.kellyFraction = b.kellyFraction
            model.blend.payoffRatio = b.payoffRatio
            model.blend.maxPosition = b.maxPosition
        } else {
            model.blend = policy.message(components: names)
        }
        model.info.metadata = [:]
        return model
    }

    private func network(_ n: TrainedNetwork, role: String) throws -> Modelc_Model {
        let members = try n.ensemble.members.map { m -> Modelc_Model in
            let yaml = try m.pytorchArchitectureYAML(name: "\(config.name)-\(role)", version: config.version, role: role,
                                                     featureNames: n.features.map(\.name))
            let architecture = try PyTorchArchitecture(yaml: yaml, file: "trained \(role) network")
            var imported = try PyTorchImporter.importModel(
                architecture: architecture, weights: try Safetensors(bytes: m.safetensors(), path: "trained \(role) network"))
            imported.components[0].input.scaler.kind = .scalerStandard
            imported.components[0].input.scaler.shift = n.scaler.shift
            imported.components[0].input.scaler.scale = n.scaler.scale
            return imported
        }
        return try NetworkMembers.join(members)
    }
}

/// The build config's imported components, read once.
struct ImportedParts {
    var trees: ArtifactComposer.Part?
    var long: ArtifactComposer.Part?
    var short: ArtifactComposer.Part?

    init(_ config: BuildConfig) throws {
        if config.trees.enabled, let (library, file) = config.trees.imported {
            let imported = try library.read(path: file)
            guard imported.kind == .binary else {
                throw ImportError(file, "is a \(imported.kind.name) model; a build's direction component needs a binary classifier (use `modelc import` for it)")
            }
            let model = try TreeArtifact.model(name: config.name, members: [.init(imported)])
            trees = ArtifactComposer.Part(model: model, file: file, features: config.trees.features)
        }
        func network(_ s: NetworkSettings) throws -> ArtifactComposer.Part? {
            guard s.enabled, let (architecture, weights) = s.imported else { return nil }
            return ArtifactComposer.Part(model: try PyTorchImporter.importModel(architecture: architecture, weights: try Safetensors(path: weights)),
                                         file: weights)
        }
        long = try network(config.long)
        short = try network(config.short)
    }
}
