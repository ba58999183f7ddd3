/// The blend policy of an artifact, with component names resolved to indices (Spec.md §4.6).
public struct BlendDefinition: Sendable {
    public var direction: Int?
    public var long: Int?
    public var short: Int?
    public var treeWeight: Double
    public var networkWeight: Double
    public var entryThreshold: Double
    public var vetoThreshold: Double
    public var kellyFraction: Double
    public var payoffRatio: Double
    public var maxPosition: Double
}

/// What a bot does with a scored candle.
public enum Signal: Int32, Sendable {
    case short = -1
    case flat = 0
    case long = 1
}

public struct BlendDecision: Equatable, Sendable {
    public var signal: Signal
    /// The blended confidence `c` of the chosen direction (0 when nothing could be scored).
    public var confidence: Double
    /// Position size in [0, max_position]; 0 when flat.
    public var size: Double
}

extension BlendDefinition {
    /// Spec.md §4.6, step by step. A probability is nil when its component is absent or not yet
    /// warmed up; with neither direction nor specialists available the decision is flat.
    public func decide(pUp: Double?, pLong: Double?, pShort: Double?) -> BlendDecision {
        let isLong: Bool
        let d: Double
        if let pUp {
            isLong = pUp >= 0.5
            d = isLong ? pUp : 1 - pUp
        } else if pLong != nil || pShort != nil {
            isLong = (pLong ?? 0) >= (pShort ?? 0)
            d = (isLong ? pLong : pShort) ?? 0
        } else {
            return BlendDecision(signal: .flat, confidence: 0, size: 0)
        }
        let s = (isLong ? pLong : pShort) ?? d
        let c = (treeWeight * d + networkWeight * s) / (treeWeight + networkWeight)
        guard s >= vetoThreshold, c >= entryThreshold else { return BlendDecision(signal: .flat, confidence: c, size: 0) }
        let kelly = c - (1 - c) / payoffRatio
        let size = min(maxPosition, max(0, kellyFraction * kelly))
        return BlendDecision(signal: isLong ? .long : .short, confidence: c, size: size)
    }
}
