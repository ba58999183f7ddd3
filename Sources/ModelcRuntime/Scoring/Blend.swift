/// One component a direction of a specialists blend reads (Spec.md §4.6.2).
public struct BlendInput: Sendable, Equatable {
    /// Index into `LoadedModel.components`.
    public var component: Int
    public var weight: Double

    public init(component: Int, weight: Double) {
        self.component = component
        self.weight = weight
    }
}

/// The blend policy of an artifact, with component names resolved to indices (Spec.md §4.6).
public struct BlendDefinition: Sendable {
    public enum Mode: UInt32, Sendable {
        /// §4.6.1: a direction confidence blended with a specialist (format 1.0).
        case direction = 0
        /// §4.6.2: calibrated specialists per direction, each with its own entry threshold.
        case specialists = 1
    }

    public var mode = Mode.direction
    public var direction: Int?
    public var long: Int?
    public var short: Int?
    public var treeWeight = 0.6
    public var networkWeight = 0.4
    public var entryThreshold = 0.6
    public var vetoThreshold = 0.3
    public var kellyFraction = 0.25
    public var payoffRatio = 1.0
    public var maxPosition = 1.0
    public var longInputs: [BlendInput] = []
    public var shortInputs: [BlendInput] = []
    public var longEntry = 2.0
    public var shortEntry = 2.0
    public var longVeto = 1.0
    public var shortVeto = 1.0
    /// Candles a position lasts after its last entry signal; 1 re-decides every candle.
    public var hold = 1

    public init() {}

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

/// The probabilities a blend acts on for one candle, and its decision before holding.
public struct BlendReading: Sendable {
    public var pUp = Double.nan
    public var pLong = Double.nan
    public var pShort = Double.nan
    /// True when every component the blend reads has a probability.
    public var ready = false
    public var decision = BlendDecision(signal: .flat, confidence: 0, size: 0)
}

extension BlendDefinition {
    /// Reads the component probabilities of one candle (NaN: not scored) and decides.
    public func read(_ probabilities: [Double]) -> BlendReading {
        // Ready when every component the blend names has a probability; nothing is allocated on
        // this per-candle path (a direction's mean is NaN as soon as one input is).
        var r = BlendReading()
        switch mode {
        case .direction:
            func p(_ i: Int?) -> Double? { i.flatMap { probabilities[$0].isNaN ? nil : probabilities[$0] } }
            r.pUp = p(direction) ?? .nan
            r.pLong = p(long) ?? .nan
            r.pShort = p(short) ?? .nan
            r.ready = (direction == nil || !r.pUp.isNaN) && (long == nil || !r.pLong.isNaN) && (short == nil || !r.pShort.isNaN)
            if r.ready { r.decision = decide(pUp: p(direction), pLong: p(long), pShort: p(short)) }
        case .specialists:
            r.pLong = Self.mean(longInputs, probabilities)
            r.pShort = Self.mean(shortInputs, probabilities)
            r.ready = (longInputs.isEmpty || !r.pLong.isNaN) && (shortInputs.isEmpty || !r.pShort.isNaN)
            if r.ready { r.decision = decide(pLong: r.pLong, pShort: r.pShort) }
        }
        return r
    }

    /// `Σ wᵢ pᵢ / Σ wᵢ` in input order; NaN without inputs or with an unscored one.
    static func mean(_ inputs: [BlendInput], _ probabilities: [Double]) -> Double {
        var weighted = 0.0, total = 0.0
        for input in inputs {
            weighted += input.weight * probabilities[input.component]
            total += input.weight
        }
        return inputs.isEmpty ? .nan : weighted / total
    }

    /// Spec.md §4.6.1, step by step. A probability is nil when its component is absent or not yet
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

    /// Spec.md §4.6.2: a direction is a candidate when its probability reaches its entry threshold
    /// and the other direction's stays below its veto; of two candidates the one further above its
    /// threshold wins (LONG on a tie). NaN probabilities (a direction without inputs) never enter.
    public func decide(pLong: Double, pShort: Double) -> BlendDecision {
        let longOK = pLong >= longEntry && !(pShort >= longVeto)
        let shortOK = pShort >= shortEntry && !(pLong >= shortVeto)
        let isLong: Bool
        switch (longOK, shortOK) {
        case (false, false):
            let c = max(pLong.isNaN ? 0 : pLong, pShort.isNaN ? 0 : pShort)
            return BlendDecision(signal: .flat, confidence: c, size: 0)
        case (true, false): isLong = true
        case (false, true): isLong = false
        case (true, true): isLong = pLong - longEntry >= pShort - shortEntry
        }
        return BlendDecision(signal: isLong ? .long : .short, confidence: isLong ? pLong : pShort, size: maxPosition)
    }
}

/// The part of a blend that outlives a candle: a position entered on a signal lasts `hold`
/// candles after its last entry signal unless the other direction enters (Spec.md §4.6.2).
/// A stream keeps one; a candle that is not `ready` ends any held position.
public struct PolicyState: Sendable {
    private var held = Signal.flat
    private var remaining = 0

    public init() {}

    /// The decision a bot acts on, given the blend's reading of this candle.
    public mutating func step(_ r: BlendReading, blend: BlendDefinition) -> BlendDecision {
        guard r.ready else {
            held = .flat
            remaining = 0
            return r.decision
        }
        if r.decision.signal != .flat {
            held = r.decision.signal
            remaining = blend.hold
            return r.decision
        }
        guard held != .flat, remaining > 1 else {
            held = .flat
            remaining = 0
            return r.decision
        }
        remaining -= 1
        return BlendDecision(signal: held, confidence: held == .long ? r.pLong : r.pShort, size: blend.maxPosition)
    }
}
