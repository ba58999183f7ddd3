import ModelcFormat
import ModelcRuntime

/// The components a build writes, by name: what each learns and how the card names it
/// (`<target>/<model>`, Spec.md §14.3).
enum ComponentSlot: String, CaseIterable {
    case longTrees = "long_trees", shortTrees = "short_trees", direction, long, short

    var role: Modelc_ComponentRole {
        switch self {
        case .longTrees, .long: return .roleLong
        case .shortTrees, .short: return .roleShort
        case .direction: return .roleDirection
        }
    }

    /// The card's target and model names.
    var target: String {
        switch self {
        case .longTrees, .long: return "long"
        case .shortTrees, .short: return "short"
        case .direction: return "up"
        }
    }

    var model: String { self == .long || self == .short ? "network" : "trees" }

    static func trees(_ target: TreeTarget) -> ComponentSlot {
        switch target {
        case .long: return .longTrees
        case .short: return .shortTrees
        case .direction: return .direction
        }
    }
}

/// The specialists blend a build writes (Spec.md §4.6.2): the trees' share of each direction
/// (the network has the rest), entries, vetoes and holding time.
struct SpecialistPolicy: Equatable {
    var longTreeWeight = 0.5
    var shortTreeWeight = 0.5
    var longEntry = 2.0
    var shortEntry = 2.0
    var longVeto = 1.0
    var shortVeto = 1.0
    var hold = 1
    var maxPosition = 1.0

    /// The inputs of one direction among `names` (the model's components in order): weight-0
    /// inputs are left out, so a component the blend ignores never holds up a decision.
    private func inputs(_ names: [String], trees: ComponentSlot, network: ComponentSlot, treeWeight: Double) -> [(Int, Double)] {
        [(trees, treeWeight), (network, 1 - treeWeight)].compactMap { slot, w in
            guard w > 0, let i = names.firstIndex(of: slot.rawValue) else { return nil }
            return (i, w)
        }
    }

    /// The artifact's blend message.
    func message(components names: [String]) -> Modelc_BlendPolicy {
        var b = Modelc_BlendPolicy()
        b.mode = .blendSpecialists
        func message(_ list: [(Int, Double)]) -> [Modelc_BlendInput] {
            list.map { var m = Modelc_BlendInput(); m.component = names[$0.0]; m.weight = $0.1; return m }
        }
        b.longInputs = message(inputs(names, trees: .longTrees, network: .long, treeWeight: longTreeWeight))
        b.shortInputs = message(inputs(names, trees: .shortTrees, network: .short, treeWeight: shortTreeWeight))
        b.longEntry = longEntry
        b.shortEntry = shortEntry
        b.longVeto = longVeto
        b.shortVeto = shortVeto
        b.hold = UInt32(hold)
        b.maxPosition = maxPosition
        return b
    }

    /// The same blend as the runtime reads it from the artifact (for replays scored again).
    func definition(components names: [String]) -> BlendDefinition {
        var d = BlendDefinition()
        d.mode = .specialists
        d.longInputs = inputs(names, trees: .longTrees, network: .long, treeWeight: longTreeWeight).map { BlendInput(component: $0.0, weight: $0.1) }
        d.shortInputs = inputs(names, trees: .shortTrees, network: .short, treeWeight: shortTreeWeight).map { BlendInput(component: $0.0, weight: $0.1) }
        d.longEntry = longEntry
        d.shortEntry = shortEntry
        d.longVeto = longVeto
        d.shortVeto = shortVeto
        d.hold = hold
        d.maxPosition = maxPosition
        return d
    }
}
