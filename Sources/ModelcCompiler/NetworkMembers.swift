import ModelcFormat

/// Joins single-network artifacts of one architecture and input (a snapshot ensemble's
/// members) into one component whose members are averaged with equal weights
/// (`COMBINE_MEAN_PROBABILITY`). Member i's tensors are renamed `<component>/m<i>/...`.
public enum NetworkMembers {
    public static func join(_ models: [Modelc_Model]) throws -> Modelc_Model {
        guard var out = models.first else { throw CompilerError("no networks to join") }
        guard models.count > 1 else { return out }
        let component = out.components[0]
        out.components[0].members = []
        out.tensors = []
        for (i, m) in models.enumerated() {
            guard m.components.count == 1, m.components[0].input == component.input,
                  case .network(var net) = m.components[0].members.first?.model else {
                throw CompilerError("snapshot member \(i) is not a single network reading the same inputs")
            }
            var renamed: [String: String] = [:]
            for var t in m.tensors {
                let base = t.name.split(separator: "/", maxSplits: 1).last.map(String.init) ?? t.name
                renamed[t.name] = "\(component.name)/m\(i)/\(base)"
                t.name = renamed[t.name]!
                out.tensors.append(t)
            }
            for l in net.layers.indices { net.layers[l].rename(renamed) }
            var member = Modelc_Member()
            member.weight = 1 / Double(models.count)
            member.network = net
            out.components[0].members.append(member)
        }
        out.components[0].combine = .combineMeanProbability
        return out
    }
}
