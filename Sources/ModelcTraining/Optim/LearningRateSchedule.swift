import Foundation

/// How the learning rate moves during training.
public enum LearningRateSchedule: Codable, Sendable, Equatable {
    /// The base rate throughout.
    case constant
    /// Linear warm-up from 0 over the first `warmupFraction` of all steps, then a cosine decay
    /// to `minFactor`·base at the last planned step.
    case warmupCosine(warmupFraction: Double, minFactor: Double)
    /// `ReduceLROnPlateau`: multiply by `factor` after `patience` epochs without a better
    /// validation metric, never below `minFactor`·base.
    case plateau(factor: Double, patience: Int, minFactor: Double)

    /// The multiplier of the base rate at `step` (0-based) of `totalSteps`, given the plateau
    /// factor reached so far (1 for the other schedules).
    public func factor(step: Int, totalSteps: Int, plateauFactor: Double) -> Double {
        switch self {
        case .constant:
            return 1
        case .warmupCosine(let warmupFraction, let minFactor):
            let warmup = Int((warmupFraction * Double(totalSteps)).rounded())
            if step < warmup { return Double(step + 1) / Double(warmup) }
            let span = max(1, totalSteps - warmup)
            let progress = min(1, Double(step - warmup) / Double(span))
            return minFactor + (1 - minFactor) * 0.5 * (1 + cos(Double.pi * progress))
        case .plateau:
            return plateauFactor
        }
    }
}

/// The state of a plateau schedule between epochs (saved in checkpoints).
public struct PlateauState: Codable, Sendable, Equatable {
    public var factor = 1.0
    public var best: Double?
    public var badEpochs = 0

    public init() {}

    /// Records an epoch's metric (`lowerIsBetter` says which way is better).
    public mutating func record(_ metric: Double, lowerIsBetter: Bool, schedule: LearningRateSchedule) {
        guard case .plateau(let f, let patience, let minFactor) = schedule else { return }
        let improved = !metric.isNaN && best.map { lowerIsBetter ? metric < $0 : metric > $0 } ?? true
        if improved {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
            if badEpochs > patience {
                factor = max(minFactor, factor * f)
                badEpochs = 0
            }
        }
    }
}
