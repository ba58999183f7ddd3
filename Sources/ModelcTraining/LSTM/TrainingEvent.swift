/// What the trainer reports while it runs.
public enum TrainingEvent: Sendable {
    case step(StepProgress)
    case epoch(EpochRecord, improved: Bool, stopping: Bool)
}

public struct StepProgress: Sendable {
    public var epoch: Int
    public var epochs: Int
    /// 1-based step within the epoch.
    public var step: Int
    public var steps: Int
    /// Mean loss of this epoch's steps so far.
    public var loss: Double
    public var learningRate: Double
    /// Global L2 norm of this step's gradient, before clipping.
    public var gradientNorm: Double
    public var sequencesPerSecond: Double
    /// Remaining training time of this run at the current throughput (validation excluded).
    public var etaSeconds: Double
}
