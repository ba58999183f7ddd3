/// One epoch's outcome.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// 1-based.
    public var epoch: Int
    /// The rate of the epoch's last step.
    public var learningRate: Double
    /// Mean class-weighted loss of the epoch's batches (dropout and augmentation on).
    public var trainLoss: Double
    public var validation: ClassificationMetrics
    /// Wall time of the epoch's training steps, and their throughput (validation excluded).
    public var seconds: Double
    public var sequencesPerSecond: Double
}

/// The weights of one epoch kept for the snapshot ensemble, with their validation metric.
public struct Snapshot: Sendable, Equatable {
    public var epoch: Int
    public var metric: Double
    public var parameters: [Float]
}

/// Everything a run carries from one epoch to the next; a checkpoint saves it with the
/// weights, so training resumes at the next epoch exactly as if it had not stopped.
public struct TrainingState: Sendable, Equatable {
    public var epochsDone = 0
    /// Optimiser steps taken so far.
    public var step = 0
    public var optimizer: AdamWState
    public var plateau = PlateauState()
    public var bestMetric: Double?
    public var epochsWithoutImprovement = 0
    public var stoppedEarly = false
    public var history: [EpochRecord] = []
    /// Best first.
    public var snapshots: [Snapshot] = []

    public init(parameterCount: Int) { optimizer = AdamWState(parameterCount: parameterCount) }

    /// Keeps `snapshot` if it is among the best `keep` so far (NaN metrics never are).
    mutating func offer(_ snapshot: Snapshot, keep: Int, metric: ValidationMetric) {
        guard keep > 0, !snapshot.metric.isNaN else { return }
        let position = snapshots.firstIndex { metric.isBetter(snapshot.metric, than: $0.metric) } ?? snapshots.count
        guard position < keep else { return }
        snapshots.insert(snapshot, at: position)
        if snapshots.count > keep { snapshots.removeLast() }
    }
}
