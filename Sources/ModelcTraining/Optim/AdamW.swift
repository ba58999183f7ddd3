import Foundation

/// PyTorch's `torch.optim.AdamW` (single-tensor CPU path), in Float like PyTorch's float32
/// parameters: decoupled weight decay `θ ← θ·(1 − lr·λ)`, then
/// `m ← lerp(m, g, 1 − β₁)`, `v ← v·β₂ + (1 − β₂)·g·g`,
/// `θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)`. Weight decay applies to every
/// parameter, biases included, as with `AdamW(model.parameters())`.
public struct AdamWConfig: Codable, Sendable, Equatable {
    public var learningRate: Double
    public var beta1: Double
    public var beta2: Double
    public var epsilon: Double
    public var weightDecay: Double

    public init(learningRate: Double = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999, epsilon: Double = 1e-8,
                weightDecay: Double = 0.01) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }
}

/// The optimiser's state: step count and both moment vectors (what a checkpoint saves).
public struct AdamWState: Sendable, Equatable {
    public var step: Int
    public var firstMoment: [Float]
    public var secondMoment: [Float]

    public init(parameterCount: Int) {
        step = 0
        firstMoment = [Float](repeating: 0, count: parameterCount)
        secondMoment = [Float](repeating: 0, count: parameterCount)
    }

    public init(step: Int, firstMoment: [Float], secondMoment: [Float]) {
        self.step = step
        self.firstMoment = firstMoment
        self.secondMoment = secondMoment
    }

    /// One AdamW step at learning rate `lr` on `count` parameters.
    public mutating func update(_ config: AdamWConfig, learningRate lr: Double, parameters p: UnsafeMutablePointer<Float>,
                                gradient g: UnsafePointer<Float>, count: Int) {
        precondition(count == firstMoment.count, "AdamW state has \(firstMoment.count) entries, the step \(count)")
        step += 1
        let t = Double(step)
        let decay = Float(1 - lr * config.weightDecay)
        let w1 = Float(1 - config.beta1), b2 = Float(config.beta2), w2 = Float(1 - config.beta2)
        let stepSize = Float(lr / (1 - pow(config.beta1, t)))
        let correction2 = Float((1 - pow(config.beta2, t)).squareRoot())
        let eps = Float(config.epsilon)
        firstMoment.withUnsafeMutableBufferPointer { mb in
            secondMoment.withUnsafeMutableBufferPointer { vb in
                let m = mb.baseAddress!, v = vb.baseAddress!
                for i in 0..<count {
                    let gi = g[i]
                    p[i] = p[i] * decay
                    m[i] = m[i] + w1 * (gi - m[i])
                    v[i] = v[i] * b2 + w2 * gi * gi
                    p[i] = p[i] + -stepSize * (m[i] / (v[i].squareRoot() / correction2 + eps))
                }
            }
        }
    }
}
