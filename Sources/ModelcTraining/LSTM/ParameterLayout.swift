import ModelcRuntime

/// Where each named parameter lives in the network's one flat array (so the optimiser, gradient
/// clipping and checkpoints see a single vector), in PyTorch's `state_dict` order, names and
/// shapes: `lstm.weight_ih_l0` `[4H, in]` (gate rows i, f, g, o), `lstm.weight_hh_l0` `[4H, H]`,
/// separate `bias_ih`/`bias_hh`, `_reverse` for the backward direction;
/// `attention.in_proj_weight` `[3E, E]` (rows q, k, v), `in_proj_bias`, `out_proj.weight`/`.bias`;
/// `<module>.weight` `[out, in]` and `.bias` for dense layers.
public struct ParameterLayout: Sendable, Equatable {
    /// How PyTorch initialises a tensor by default.
    public enum Initialiser: Sendable, Equatable {
        case uniform(bound: Double)
        case zeros
    }

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var offset: Int
        public var initialiser: Initialiser
        public var count: Int { shape.reduce(1, *) }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var count = 0

    public init(_ spec: NetworkSpec) throws(ModelcError) {
        try spec.validate()
        var width = spec.inputSize
        for layer in spec.layers {
            switch layer {
            case .lstm(let module, let hidden, let layers, let bidirectional, _):
                let bound = 1 / Double(hidden).squareRoot()
                for k in 0..<layers {
                    for suffix in bidirectional ? ["", "_reverse"] : [""] {
                        add("\(module).weight_ih_l\(k)\(suffix)", [4 * hidden, width], .uniform(bound: bound))
                        add("\(module).weight_hh_l\(k)\(suffix)", [4 * hidden, hidden], .uniform(bound: bound))
                        add("\(module).bias_ih_l\(k)\(suffix)", [4 * hidden], .uniform(bound: bound))
                        add("\(module).bias_hh_l\(k)\(suffix)", [4 * hidden], .uniform(bound: bound))
                    }
                    width = bidirectional ? 2 * hidden : hidden
                }
            case .attention(let module, _, _):
                // xavier_uniform_ on [3E, E]: √(6 / (fan_in + fan_out)) = √(6 / 4E); out_proj as nn.Linear.
                add("\(module).in_proj_weight", [3 * width, width], .uniform(bound: (6 / Double(4 * width)).squareRoot()))
                add("\(module).in_proj_bias", [3 * width], .zeros)
                add("\(module).out_proj.weight", [width, width], .uniform(bound: 1 / Double(width).squareRoot()))
                add("\(module).out_proj.bias", [width], .zeros)
            case .dense(let module, let outputs, let bias):
                let bound = 1 / Double(width).squareRoot()
                add("\(module).weight", [outputs, width], .uniform(bound: bound))
                if bias { add("\(module).bias", [outputs], .uniform(bound: bound)) }
                width = outputs
            case .activation, .dropout, .pooling:
                break
            }
        }
    }

    private mutating func add(_ name: String, _ shape: [Int], _ initialiser: Initialiser) {
        entries.append(Entry(name: name, shape: shape, offset: count, initialiser: initialiser))
        count += shape.reduce(1, *)
    }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    /// The offset of a parameter the layout itself created (a missing name is a programming error).
    func offset(_ name: String) -> Int {
        guard let e = entry(name) else { preconditionFailure("no parameter '\(name)'") }
        return e.offset
    }

    /// PyTorch's default initialisation, drawn in entry order from one seeded stream.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func initialise<T: NNScalar>(_ values: UnsafeMutablePointer<T>, seed: UInt64) {
        var rng = NNRandom(seed: seed, 0x1A17)
        for e in entries {
            for i in 0..<e.count {
                switch e.initialiser {
                case .uniform(let bound): values[e.offset + i] = T(rng.uniform(-bound, bound))
                case .zeros: values[e.offset + i] = 0
                }
            }
        }
    }
}
