import ModelcFormat

/// One transformation of an artifact, small enough to test on its own. Passes run in order on the
/// swift-protobuf model; each reports what it changed so `modelc` can print it.
public protocol CompilerPass {
    var name: String { get }
    /// Rewrites `model`; returns one line per change (empty when there was nothing to do).
    func apply(to model: inout Modelc_Model) throws -> [String]
}

extension Modelc_Model {
    /// The index of the tensor called `name`, or an error naming it.
    func tensorIndex(_ name: String) throws -> Int {
        guard let i = tensors.firstIndex(where: { $0.name == name }) else {
            throw CompilerError("tensor '\(name)' is missing")
        }
        return i
    }

    /// Calls `body` with every sequence network and the name of its component.
    mutating func forEachNetwork(_ body: (String, inout Modelc_SequenceNetwork) throws -> Void) rethrows {
        for c in components.indices {
            for m in components[c].members.indices {
                guard case .network(var net) = components[c].members[m].model else { continue }
                try body(components[c].name, &net)
                components[c].members[m].network = net
            }
        }
    }
}

/// A compiler pass refused the model; the message names the component, layer or tensor.
public struct CompilerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
