import ModelcRuntime

/// How a tree grows: the two policies of the libraries users compare against.
public enum GrowthPolicy: Sendable, Equatable {
    /// Level by level, every splittable node of a level, down to `maxDepth` (XGBoost's
    /// `grow_policy=depthwise`). A tree has at most 2^maxDepth leaves.
    case depthWise(maxDepth: Int)
    /// Always the leaf with the largest gain next (ties: the lowest node index) until the tree
    /// has `numLeaves` leaves (LightGBM). `maxDepth` 0 means no depth limit.
    case leafWise(numLeaves: Int, maxDepth: Int = 0)
}

/// What early stopping watches on the validation set.
public enum StoppingMetric: String, Sendable, Equatable {
    /// ROC AUC of the validation margins (higher is better).
    case auc
    /// Mean logistic loss of the validation probabilities (lower is better).
    case logLoss = "logloss"
}

/// Stop when the validation metric has not improved for `patience` trees; the forest keeps
/// the trees up to the best one.
public struct EarlyStopping: Sendable, Equatable {
    public var metric: StoppingMetric
    public var patience: Int

    public init(metric: StoppingMetric = .auc, patience: Int = 50) {
        self.metric = metric
        self.patience = patience
    }
}

/// Everything that steers the trainer. Names in error messages are the snake_case of these
/// properties (e.g. `learning_rate`), the spelling model configs use.
public struct GBDTParameters: Sendable, Equatable {
    /// Boosting rounds (trees) at most; early stopping may keep fewer.
    public var numTrees = 100
    /// Shrinkage applied to every leaf value.
    public var learningRate = 0.1
    public var growth = GrowthPolicy.leafWise(numLeaves: 31)
    /// L2 penalty on leaf values (XGBoost `lambda`, LightGBM `lambda_l2`).
    public var lambdaL2 = 1.0
    /// L1 penalty on leaf values: gradient sums are soft-thresholded by it (XGBoost `alpha`).
    public var alphaL1 = 0.0
    /// Least hessian sum a child may have (XGBoost `min_child_weight`).
    public var minChildWeight = 1e-3
    /// Least number of training rows a child may have (LightGBM `min_data_in_leaf`).
    public var minDataInLeaf = 20
    /// A split is made only when its gain is above this (LightGBM `min_gain_to_split`).
    public var minSplitGain = 0.0
    /// Fraction of rows each tree is grown on, drawn without replacement per tree.
    public var baggingFraction = 1.0
    /// Fraction of features each tree may split on, drawn per tree.
    public var featureFraction = 1.0
    /// Value bins per feature at most (a NaN bin comes on top), 2...255.
    public var maxBins = 255
    /// Weight of every positive row (XGBoost `scale_pos_weight` when `negativeWeight` is 1).
    public var positiveWeight = 1.0
    /// Weight of every negative row.
    public var negativeWeight = 1.0
    /// Needs a validation set when set.
    public var earlyStopping: EarlyStopping?
    /// Seeds bagging and feature sampling; nothing else is random.
    public var seed: UInt64 = 0
    /// Worker threads; 0 means one per active processor. Results do not depend on it.
    public var threads = 0

    public init() {}

    /// The maximum depth of either policy (0: unlimited) and the leaf limit (0: unlimited).
    var limits: (maxDepth: Int, maxLeaves: Int) {
        switch growth {
        case .depthWise(let depth): return (depth, 0)
        case .leafWise(let leaves, let depth): return (depth, leaves)
        }
    }

    /// Refuses values that cannot train, naming the parameter and what was expected.
    public func validate() throws(ModelcError) {
        func fail(_ name: String, _ expected: String, _ value: String) -> ModelcError {
            ModelcError(.invalidArgument, "gbdt: \(name) must be \(expected), got \(value)")
        }
        guard numTrees >= 1 else { throw fail("num_trees", ">= 1", "\(numTrees)") }
        guard learningRate > 0, learningRate.isFinite else { throw fail("learning_rate", "finite and > 0", "\(learningRate)") }
        switch growth {
        case .depthWise(let depth):
            guard depth >= 1, depth <= 30 else { throw fail("max_depth", "in 1...30 for depth-wise growth", "\(depth)") }
        case .leafWise(let leaves, let depth):
            guard leaves >= 2, leaves <= 1 << 16 else { throw fail("num_leaves", "in 2...65536", "\(leaves)") }
            guard depth >= 0, depth <= 30 else { throw fail("max_depth", "in 0...30 (0: unlimited)", "\(depth)") }
        }
        guard lambdaL2 >= 0, lambdaL2.isFinite else { throw fail("lambda_l2", "finite and >= 0", "\(lambdaL2)") }
        guard alphaL1 >= 0, alphaL1.isFinite else { throw fail("alpha_l1", "finite and >= 0", "\(alphaL1)") }
        guard minChildWeight >= 0, minChildWeight.isFinite else {
            throw fail("min_child_weight", "finite and >= 0", "\(minChildWeight)")
        }
        guard lambdaL2 > 0 || minChildWeight > 0 else {
            throw ModelcError(
                .invalidArgument, "gbdt: lambda_l2 and min_child_weight are both 0: a leaf with no hessian would divide by zero")
        }
        guard minDataInLeaf >= 1 else { throw fail("min_data_in_leaf", ">= 1", "\(minDataInLeaf)") }
        guard minSplitGain >= 0, minSplitGain.isFinite else { throw fail("min_split_gain", "finite and >= 0", "\(minSplitGain)") }
        guard baggingFraction > 0, baggingFraction <= 1 else { throw fail("bagging_fraction", "in (0, 1]", "\(baggingFraction)") }
        guard featureFraction > 0, featureFraction <= 1 else { throw fail("feature_fraction", "in (0, 1]", "\(featureFraction)") }
        guard maxBins >= 2, maxBins <= 255 else { throw fail("max_bins", "in 2...255", "\(maxBins)") }
        guard positiveWeight > 0, positiveWeight.isFinite else { throw fail("positive_weight", "finite and > 0", "\(positiveWeight)") }
        guard negativeWeight > 0, negativeWeight.isFinite else { throw fail("negative_weight", "finite and > 0", "\(negativeWeight)") }
        if let stop = earlyStopping, stop.patience < 1 {
            throw fail("early_stopping.patience", ">= 1", "\(stop.patience)")
        }
        guard threads >= 0, threads <= 1024 else { throw fail("threads", "in 0...1024 (0: one per processor)", "\(threads)") }
    }
}

extension GBDTParameters {
    /// A plain LightGBM `LGBMClassifier()`: 100 trees, learning rate 0.1, 31 leaves, 20 rows a
    /// leaf, no L2, no sampling, no early stopping — the reference a build's models must beat.
    public static var reference: GBDTParameters {
        var p = GBDTParameters()
        p.lambdaL2 = 0
        return p
    }
}

extension GrowthPolicy {
    /// The config's spelling (`leaf_wise`, `depth_wise`).
    public var name: String {
        switch self {
        case .depthWise: return "depth_wise"
        case .leafWise: return "leaf_wise"
        }
    }
}
