import ModelcFormat

/// The compiler's pass order for networks: structural rewrites first (they keep the f32 bits),
/// then the scaler fold (changes the rounding slightly), then quantisation.
public enum PassPipeline {
    public static func passes(precision: WeightPrecision) -> [any CompilerPass] {
        [PruneAttentionPass(), FoldScalerPass(), QuantizePass(precision)]
    }

    /// Runs every pass; returns the rewritten model and what each pass changed.
    public static func run(_ model: Modelc_Model, precision: WeightPrecision) throws -> (Modelc_Model, [(pass: String, changes: [String])]) {
        var model = model
        var log: [(pass: String, changes: [String])] = []
        for pass in passes(precision: precision) {
            log.append((pass.name, try pass.apply(to: &model)))
        }
        return (model, log)
    }
}
