import Foundation
import ModelcRuntime

/// `SplitMix64`, seedable per purpose. Every random choice of the trainer is drawn from a stream
/// derived from (seed, purpose, epoch or step, sample), never from shared mutable state, so a run
/// is reproducible, independent of the thread count, and resumable from an epoch boundary without
/// saving generator state.
public struct NNRandom: Sendable {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    /// A generator for one purpose: the seed mixed with each key in turn.
    public init(seed: UInt64, _ keys: UInt64...) {
        var mixer = NNRandom(seed: seed)
        var s = mixer.next()
        for k in keys {
            mixer = NNRandom(seed: s ^ (k &* 0x9E37_79B9_7F4A_7C15))
            s = mixer.next()
        }
        generator = SplitMix64(seed: s)
    }

    public mutating func next() -> UInt64 { generator.next() }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { generator.unit() }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * uniform() }

    /// Uniform integer in 0..<n (n > 0), by rejection so every value is equally likely.
    public mutating func below(_ n: Int) -> Int {
        let bound = UInt64(n)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let r = next()
            if r < limit { return Int(r % bound) }
        }
    }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func normal() -> Double {
        let u1 = 1 - uniform()  // (0, 1]
        let u2 = uniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle of `0..<n`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        if n < 2 { return p }
        for i in stride(from: n - 1, to: 0, by: -1) { p.swapAt(i, below(i + 1)) }
        return p
    }
}
