/// Everything that decides a training run besides the data and the architecture. Defaults follow
/// PyTorch where it has one (AdamW) and the seed recipe otherwise.
public struct LstmTrainingConfig: Codable, Sendable, Equatable {
    /// Passes over the training span (an early stop may end sooner).
    public var epochs = 20
    public var batchSize = 256
    public var optimizer = AdamWConfig()
    /// Global gradient-norm clip (`clip_grad_norm_`); nil disables it.
    public var gradientClipNorm: Double? = 1.0
    public var schedule = LearningRateSchedule.warmupCosine(warmupFraction: 0.05, minFactor: 0)
    /// Seeds shuffling, dropout and augmentation (initialisation has the model's own seed).
    public var seed: UInt64 = 0
    /// Worker threads; each runs whole shards of a batch with single-threaded BLAS.
    public var threads = 2
    /// Samples per shard. Shards are fixed and their gradients summed in order, so the result
    /// does not depend on `threads`; it does depend on the shard size (the summation order).
    public var shardSize = 64
    /// Stop after this many epochs without a better validation metric; nil trains every epoch.
    public var earlyStoppingPatience: Int? = 5
    /// The validation metric that early stopping, the plateau schedule and snapshots follow.
    public var metric = ValidationMetric.loss
    /// Per-class loss weights; nil: `n / (C·n_k)` from the training span (`n / (2·n_k)` for two classes).
    public var classWeights: [Double]?
    /// The class whose probability is the signal (AUC is computed for it).
    public var positiveClass = 1
    public var augmentation = WindowAugmentation()
    /// Best checkpoints kept for the snapshot ensemble.
    public var snapshots = 3

    public init() {}
}

public enum ValidationMetric: String, Codable, Sendable {
    case loss, auc, accuracy
    case balancedAccuracy = "balanced_accuracy"

    public var lowerIsBetter: Bool { self == .loss }

    public func value(_ m: ClassificationMetrics) -> Double {
        switch self {
        case .loss: return m.loss
        case .auc: return m.auc
        case .accuracy: return m.accuracy
        case .balancedAccuracy: return m.balancedAccuracy
        }
    }

    /// Whether `a` is strictly better than `b` (NaN is never better).
    public func isBetter(_ a: Double, than b: Double) -> Bool { lowerIsBetter ? a < b : a > b }
}
