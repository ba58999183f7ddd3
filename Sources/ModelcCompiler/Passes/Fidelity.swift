import ModelcFormat
import ModelcRuntime

/// How closely a quantised model follows its f32 original on real inputs, for the model card.
public enum Fidelity {
    /// Scores `windows` (raw inputs of `component`) with both models through the runtime and
    /// compares the probabilities: max and p99 of |Δp|, and how often both take the same
    /// decision (p ≥ threshold).
    public static func measure(reference: Modelc_Model, candidate: Modelc_Model, component: String,
                               precision: String, windows: [[Double]], threshold: Double = 0.5) throws -> Modelc_QuantizationFidelity {
        let a = try scorer(reference, component), b = try scorer(candidate, component)
        var deltas: [Double] = []
        var agree = 0
        for w in windows {
            let pa = try a.probability(window: w), pb = try b.probability(window: w)
            deltas.append(abs(pa - pb))
            if (pa >= threshold) == (pb >= threshold) { agree += 1 }
        }
        deltas.sort()
        var f = Modelc_QuantizationFidelity()
        f.component = component
        f.precision = precision
        f.samples = UInt32(windows.count)
        f.maxAbsDelta = deltas.last ?? 0
        f.p99AbsDelta = deltas.isEmpty ? 0 : deltas[min(deltas.count - 1, Int((Double(deltas.count) * 0.99).rounded(.up)) - 1)]
        f.decisionAgreement = windows.isEmpty ? 0 : Double(agree) / Double(windows.count)
        return f
    }

    private static func scorer(_ model: Modelc_Model, _ name: String) throws -> ComponentDefinition {
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model, compression: .none))
        guard let c = loaded.components.first(where: { $0.name == name }) else {
            throw CompilerError("no component '\(name)' to measure")
        }
        return c
    }
}
