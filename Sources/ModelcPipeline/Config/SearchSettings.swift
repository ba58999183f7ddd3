import ModelcRuntime
import ModelcTraining

/// The `search:` block (Spec.md §14.5): ranges for tree and network parameters, a trial budget,
/// the sampler, and successive halving across the walk-forward windows.
public struct SearchSettings: Sendable {
    public enum Sampler: String, Sendable, CaseIterable { case sobol, random }

    /// One searched parameter: its config key (`trees.learning_rate`) and its range.
    public struct Dimension: Sendable {
        public enum Range: Sendable {
            /// Uniform in [lower, upper]; `logScale` samples the logarithm uniformly; `integer` rounds.
            case numeric(lower: Double, upper: Double, logScale: Bool, integer: Bool)
            /// One of the listed values, equally likely.
            case choice([String])
        }
        public var key: String
        public var range: Range

        /// The value of a unit coordinate u ∈ [0, 1).
        func value(_ u: Double) -> Double {
            switch range {
            case .numeric(let lo, let hi, let log, let integer):
                let v = log ? DMath.exp(DMath.log(lo) + u * (DMath.log(hi) - DMath.log(lo))) : lo + u * (hi - lo)
                return integer ? min(hi, (v + 0.5).rounded(.down)) : v
            case .choice(let values):
                return Double(min(values.count - 1, Int(u * Double(values.count))))
            }
        }
    }

    public var trials = 0
    public var sampler = Sampler.sobol
    /// Successive halving: each rung adds a window and keeps the better half of the trials.
    public var halving = true
    public var dimensions: [Dimension] = []

    public var enabled: Bool { trials > 0 && !dimensions.isEmpty }
    var searchesTrees: Bool { dimensions.contains { $0.key.hasPrefix("trees.") } }
    var searchesNetworks: Bool { dimensions.contains { $0.key.hasPrefix("networks.") } }

    /// Keys a search may range over, with their bounds (those of the config keys themselves) and
    /// whether they are sampled on a log scale or as integers.
    static let numericKeys: [(key: String, bounds: ClosedRange<Double>, log: Bool, integer: Bool)] = [
        ("trees.learning_rate", 1e-4...1, true, false), ("trees.num_leaves", 2...4096, false, true),
        ("trees.max_depth", 1...30, false, true), ("trees.min_data_in_leaf", 1...1_000_000, true, true),
        ("trees.feature_fraction", 0.01...1, false, false), ("trees.bagging_fraction", 0.01...1, false, false),
        ("trees.lambda_l2", 0...1e6, false, false), ("trees.num_trees", 1...100_000, false, true),
        ("networks.hidden_size", 1...4096, false, true), ("networks.num_layers", 1...8, false, true),
        ("networks.sequence_length", 1...4096, false, true), ("networks.dropout", 0...0.9, false, false),
        ("networks.learning_rate", 1e-8...1, true, false), ("networks.epochs", 1...10_000, false, true),
        ("networks.fc_hidden", 1...4096, false, true),
    ]
    static let choiceKeys: [(key: String, values: [String])] = [
        ("trees.features", ["base", "base+crash"]), ("trees.policy", ["leaf_wise", "depth_wise", "both"]),
    ]
}
