/// The trainer's seeded generator (SplitMix64, Steele, Lea & Flood 2014): the same seed gives
/// the same bagging and feature draws on every host, which SystemRandomNumberGenerator does not.
struct GBDTRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

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
