/// The logistic function from + - * / only, so a probability has the same bits on every host
/// (libm's exp differs between C libraries). To be replaced by the shared deterministic math
/// module once it lands; until then tree probabilities use this one.
enum Logistic {
    /// 1 / (1 + e^-x).
    static func sigmoid(_ x: Double) -> Double {
        1 / (1 + exp(-x))
    }

    /// e^x within a few ulps: x = k ln2 + r with |r| <= ln2/2 (Cody–Waite split of ln2, so
    /// k * ln2Hi is exact), e^r by its Taylor series to degree 13 (truncation below 1e-17),
    /// then scaled by 2^k.
    static func exp(_ x: Double) -> Double {
        if x.isNaN { return x }
        if x > 709.782712893384 { return .infinity }
        if x < -745.1332191019412 { return 0 }
        let shifter = 6755399441055744.0  // 1.5 * 2^52: adding it rounds to an integer
        let kd = (x * 1.4426950408889634 + shifter) - shifter
        let ln2Hi = 6.93147180369123816490e-01  // ln 2 with its low 32 bits zero
        let ln2Lo = 1.90821492927058770002e-10
        let r = (x - kd * ln2Hi) - kd * ln2Lo
        let p = 1 + r * (1 + r * (1 / 2.0 + r * (1 / 6.0 + r * (1 / 24.0 + r * (1 / 120.0 + r * (1 / 720.0
            + r * (1 / 5040.0 + r * (1 / 40320.0 + r * (1 / 362880.0 + r * (1 / 3628800.0 + r * (1 / 39916800.0
            + r * (1 / 479001600.0 + r * (1 / 6227020800.0)))))))))))))
        let k = Int(kd)
        if k > 1023 { return p * 2 * powerOfTwo(k - 1) }
        if k < -1022 { return p * powerOfTwo(k + 64) * powerOfTwo(-64) }
        return p * powerOfTwo(k)
    }

    /// 2^e for a normal exponent e in -1022...1023.
    private static func powerOfTwo(_ e: Int) -> Double {
        Double(bitPattern: UInt64(e + 1023) << 52)
    }
}
