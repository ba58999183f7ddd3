import ModelcFormat

/// Folds a component's input scaler `x' = (x − shift)·scale` into the first layer of each network
/// member: `W'[o,k] = W[o,k]·scale[k]` and `b'[o] = b[o] − Σ_k W[o,k]·scale[k]·shift[k]`,
/// computed in Double and rounded once to f32. The runtime then reads raw features directly.
public struct FoldScalerPass: CompilerPass {
    public let name = "fold-scaler"
    public init() {}

    public func apply(to model: inout Modelc_Model) throws -> [String] {
        var changes: [String] = []
        for c in model.components.indices {
            let scaler = model.components[c].input.scaler
            guard scaler.kind != .scalerNone, !scaler.folded else { continue }
            let component = model.components[c].name
            for m in model.components[c].members.indices {
                guard case .network(let net) = model.components[c].members[m].model, let first = net.layers.first else { continue }
                switch first.kind {
                case .lstm(let l):
                    for w in [l.forward] + (l.direction == .lstmBidirectional ? [l.reverse] : []) {
                        try fold(&model, weight: w.weightIh, bias: w.bias, scaler: scaler)
                    }
                case .dense(let d) where !d.bias.isEmpty:
                    try fold(&model, weight: d.weight, bias: d.bias, scaler: scaler)
                default:
                    throw CompilerError("component '\(component)': cannot fold the scaler into a first layer of kind \(String(describing: first.kind))")
                }
                changes.append("\(component)/\(first.name): scaler folded into the first layer")
            }
            model.components[c].input.scaler.folded = true
        }
        return changes
    }

    private func fold(_ model: inout Modelc_Model, weight: String, bias: String, scaler: Modelc_Scaler) throws {
        let wi = try model.tensorIndex(weight), bi = try model.tensorIndex(bias)
        let w = try model.tensors[wi].f32Values(), b = try model.tensors[bi].f32Values()
        let cols = scaler.scale.count
        guard model.tensors[wi].shape.count == 2, Int(model.tensors[wi].shape[1]) == cols, w.count == b.count * cols else {
            throw CompilerError("tensor '\(weight)' does not take the scaler's \(cols) inputs")
        }
        var folded = w
        var shiftedBias = b
        for o in 0..<b.count {
            var correction = 0.0
            for k in 0..<cols {
                let scaled = Double(w[o * cols + k]) * Double(scaler.scale[k])
                folded[o * cols + k] = Float(scaled)
                correction += scaled * Double(scaler.shift[k])
            }
            shiftedBias[o] = Float(Double(b[o]) - correction)
        }
        model.tensors[wi] = Modelc_Tensor(name: weight, shape: model.tensors[wi].shape.map(Int.init), f32: folded)
        model.tensors[bi] = Modelc_Tensor(name: bias, shape: model.tensors[bi].shape.map(Int.init), f32: shiftedBias)
    }
}
