// tanh: Cephes' rational approximation near 0 (Stephen L. Moshier, Cephes Math Library,
// tanh.c; also Go's math.Tanh), exp elsewhere. The logistic sigmoid on top of exp.

extension DMath {
    // tanh(x) = x + x^3 P(x^2) / Q(x^2) for |x| < 0.625 (Cephes tanh.c, relative error 2.5e-17).
    private static let tanhP0: Double = -9.64399179425052238628e-1
    private static let tanhP1: Double = -9.92877231001918586564e1
    private static let tanhP2: Double = -1.61468768441708447952e3
    private static let tanhQ0: Double = 1.12811678491632931402e2
    private static let tanhQ1: Double = 2.23548839060100448583e3
    private static let tanhQ2: Double = 4.84406305325125486048e3

    /// Hyperbolic tangent. |x| < 0.625: x + x s P(s) / Q(s) with s = x^2, so tiny x gives x
    /// (sign of zero kept) and the correction stays small beside x; 0.625 <= |x| < 22:
    /// 1 - 2 / (e^2|x| + 1), where the result is above 0.55 and the subtraction loses nothing;
    /// beyond: +-1. tanh(+-inf) = +-1, NaN propagates, tanh(-x) = -tanh(x) bit for bit.
    public static func tanh(_ x: Double) -> Double {
        let ax = x.magnitude
        if !(ax < 22) {
            if x.isNaN { return x + x }
            return x > 0 ? 1 : -1  // 1 - tanh(22) < 2^-63
        }
        if ax < 0x1p-28 { return x }  // x^3/3 is below half an ulp of x; keeps the sign of zero
        if ax < 0.625 {
            let s = x * x
            let p = (tanhP0 * s + tanhP1) * s + tanhP2
            let q = ((s + tanhQ0) * s + tanhQ1) * s + tanhQ2
            return x + x * s * p / q
        }
        let z = 1 - 2 / (exp(2 * ax) + 1)
        return x.sign == .minus ? -z : z
    }

    /// 1 / (1 + e^-x), written as n / (1 + e) with e = e^-|x| <= 1 (so nothing overflows) and
    /// n = 1 for x >= 0, n = e for x < 0 (accurate down to the subnormals, where it equals e^x).
    /// The rounding error of 1 + e is recovered exactly (Fast2Sum) and divided out, so the
    /// result carries exp's error, one division and a correction far below an ulp.
    /// sigmoid(+-0) = 0.5, sigmoid(+inf) = 1, sigmoid(-inf) = 0, NaN propagates.
    public static func sigmoid(_ x: Double) -> Double {
        let e = exp(-x.magnitude)
        let d = 1 + e
        let dLow = e - (d - 1)  // 1 + e = d + dLow exactly
        let q = (x >= 0 ? 1 : e) / d
        return q - q * dLow / d
    }
}
