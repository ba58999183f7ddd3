import ModelcFormat

/// Attention followed by last-step pooling only ever has its last query row read: compute just
/// that row (keys and values still span every step). Saves T−1 query projections and score rows.
public struct PruneAttentionPass: CompilerPass {
    public let name = "prune-attention"
    public init() {}

    public func apply(to model: inout Modelc_Model) throws -> [String] {
        var changes: [String] = []
        model.forEachNetwork { component, net in
            var i = 0
            while i + 1 < net.layers.count {
                if case .attention(var a) = net.layers[i].kind, a.query == .queryAllSteps,
                   case .pooling(.poolingLastStep) = net.layers[i + 1].kind {
                    a.query = .queryLastStep
                    net.layers[i].attention = a
                    net.layers.remove(at: i + 1)
                    changes.append("\(component)/\(net.layers[i].name): attention computes only the last query")
                }
                i += 1
            }
        }
        return changes
    }
}
