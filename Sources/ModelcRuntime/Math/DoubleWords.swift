/// fdlibm reads and writes the high 32 bits of a double (sign, exponent, top of the
/// significand); these helpers keep the translated code close to the published source.
extension Double {
    /// The high 32-bit word, as fdlibm's signed `int32_t hx`.
    @inline(__always) var highWord: Int32 {
        Int32(truncatingIfNeeded: bitPattern >> 32)
    }

    /// This value with its high word replaced and its low word kept.
    @inline(__always) func replacingHighWord(_ high: Int32) -> Double {
        Double(bitPattern: (UInt64(UInt32(bitPattern: high)) << 32) | (bitPattern & 0xffff_ffff))
    }

    /// 2^k for -1022 <= k <= 1023, built from its bit pattern (exact).
    @inline(__always) static func powerOfTwo(_ k: Int) -> Double {
        Double(bitPattern: UInt64(k + 1023) << 52)
    }

    /// self * 2^k with a single rounding, for self in [0.5, 2] and -1100 <= k <= 1024: the
    /// product of exact powers of two is exact until the last step, which rounds once (into
    /// the subnormals, or to infinity).
    @inline(__always) func scaledByPowerOfTwo(_ k: Int) -> Double {
        if k > 1023 { return self * Double.powerOfTwo(1023) * Double.powerOfTwo(k - 1023) }
        if k < -1022 { return self * Double.powerOfTwo(k + 1000) * Double.powerOfTwo(-1000) }
        return self * Double.powerOfTwo(k)
    }
}
