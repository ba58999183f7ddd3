import ModelcFormat

/// Weight precisions the compiler can emit (Spec.md, "Tensors").
public enum WeightPrecision: String, CaseIterable, Sendable {
    case f32, f16
    /// int8 weights with one symmetric scale per output row: `scale = max|row| / 127`,
    /// `q = round(w / scale)` (ties away from zero), clamped to ±127; arithmetic in f32.
    case int8
    /// The same int8 weights, and each input vector quantised too: int32 accumulation.
    case int8Dynamic = "int8-dynamic"
}

/// Stores every network weight matrix (the 2-D tensors: LSTM, attention and dense weights) in the
/// chosen precision. Biases stay f32: they are few and added once per output.
public struct QuantizePass: CompilerPass {
    public let precision: WeightPrecision
    public var name: String { "quantize-\(precision.rawValue)" }

    public init(_ precision: WeightPrecision) { self.precision = precision }

    public func apply(to model: inout Modelc_Model) throws -> [String] {
        guard precision != .f32 else { return [] }
        var matrices = Set<String>()
        model.forEachNetwork { _, net in
            for layer in net.layers {
                switch layer.kind {
                case .lstm(let l): matrices.formUnion([l.forward.weightIh, l.forward.weightHh, l.reverse.weightIh, l.reverse.weightHh])
                case .attention(let a): matrices.formUnion([a.inProjWeight, a.outProjWeight])
                case .dense(let d): matrices.insert(d.weight)
                default: break
                }
            }
        }
        var changes: [String] = []
        if precision == .int8Dynamic {
            model.forEachNetwork { component, net in
                net.int8Compute = .int8Dynamic
                changes.append("\(component): int8 weights applied with dynamically quantised inputs")
            }
        }
        for i in model.tensors.indices where matrices.contains(model.tensors[i].name) && model.tensors[i].dtype == .f32 {
            let t = model.tensors[i]
            let values = try t.f32Values()
            let shape = t.shape.map(Int.init)
            switch precision {
            case .f16:
                model.tensors[i] = Modelc_Tensor(name: t.name, shape: shape, f16: values)
            case .int8, .int8Dynamic:
                let (q, scales) = Self.quantizeRows(values, rows: shape[0])
                model.tensors[i] = Modelc_Tensor(name: t.name, shape: shape, int8: q, rowScales: scales)
            case .f32:
                break
            }
            changes.append("\(t.name): f32 -> \(precision.rawValue)")
        }
        return changes
    }

    /// Symmetric per-row int8 quantisation. An all-zero row gets scale 1 (the format requires
    /// a positive scale) and zeros.
    static func quantizeRows(_ values: [Float], rows: Int) -> (q: [Int8], scales: [Float]) {
        let cols = values.count / rows
        var q = [Int8](repeating: 0, count: values.count)
        var scales = [Float](repeating: 1, count: rows)
        for r in 0..<rows {
            let row = values[(r * cols)..<((r + 1) * cols)]
            let maxAbs = row.reduce(Float(0)) { max($0, abs($1)) }
            guard maxAbs > 0 else { continue }
            let scale = maxAbs / 127
            scales[r] = scale
            for k in 0..<cols {
                q[r * cols + k] = Int8(max(-127, min(127, (values[r * cols + k] / scale).rounded(.toNearestOrAwayFromZero))))
            }
        }
        return (q, scales)
    }
}
