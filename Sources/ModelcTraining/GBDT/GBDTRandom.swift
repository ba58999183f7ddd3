import ModelcRuntime

/// The GBDT trainer's draws from `SplitMix64`: the same seed gives the same bagging and feature
/// draws on every host.
struct GBDTRandom {
    private var generator: SplitMix64

    init(seed: UInt64) { generator = SplitMix64(seed: seed) }

    mutating func next() -> UInt64 { generator.next() }

    /// Uniform in 0..<n (n > 0), by the high half of a 128-bit product.
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// Exactly `k` of `0..<n`, ascending, each subset equally likely (selection sampling,
    /// Knuth's Algorithm S).
    mutating func sample(_ k: Int, of n: Int) -> [UInt32] {
        var chosen: [UInt32] = []
        chosen.reserveCapacity(k)
        for i in 0..<n where chosen.count < k {
            if below(n - i) < k - chosen.count { chosen.append(UInt32(truncatingIfNeeded: i)) }
        }
        return chosen
    }
}
