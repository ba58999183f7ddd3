// exp, after fdlibm (FreeBSD msun e_exp.c;
// Copyright (C) 1993, 2004 by Sun Microsystems, Inc. Permission to use, copy, modify, and
// distribute this software is freely granted, provided that this notice is preserved.)

extension DMath {
    /// ln 2 split so that k * ln2Hi is exact for |k| < 2^11 (the low 32 bits of ln2Hi are zero).
    static let ln2Hi: Double = 6.93147180369123816490e-01  // 0x3fe62e42 fee00000
    static let ln2Lo: Double = 1.90821492927058770002e-10  // 0x3dea39ef 35793c76
    private static let invLn2: Double = 1.44269504088896338700e+00  // 0x3ff71547 652b82fe
    // R(z) ~ 2 + P1 z + ... + P5 z^5 on [0, 0.3466^2], |error| <= 2^-59 (e_exp.c).
    private static let p1: Double = 1.66666666666666019037e-01
    private static let p2: Double = -2.77777777770155933842e-03
    private static let p3: Double = 6.61375632143793436117e-05
    private static let p4: Double = -1.65339022054652515390e-06
    private static let p5: Double = 4.13813679705723846039e-08
    /// The largest x whose e^x is finite.
    private static let overflowThreshold: Double = 7.09782712893383973096e+02
    /// Below this e^x rounds to zero.
    private static let underflowThreshold: Double = -7.45133219101941108420e+02

    /// e^x, within about half an ulp. Reduces x = k ln2 + r with |r| <= ln2 / 2 (r carried as hi - lo),
    /// approximates e^r with fdlibm's Remez rational form, then scales by 2^k exactly
    /// (one rounding for subnormal results). exp(NaN) = NaN, exp(+inf) = +inf,
    /// exp(-inf) = 0, x > 709.78 gives +inf, x < -745.13 gives 0.
    public static func exp(_ x: Double) -> Double {
        let hx = x.highWord & 0x7fff_ffff
        let negative = x.sign == .minus
        if hx >= 0x4086_232b {  // |x| >= 708.39
            if x.isNaN { return x + x }
            if x > overflowThreshold { return .infinity }
            if x < underflowThreshold { return 0 }
        }
        var k = 0
        var hi = x
        var lo = 0.0
        if hx > 0x3fd6_2e42 {  // |x| > ln2 / 2
            if hx >= 0x3ff0_a2b2 {  // |x| >= 1.5 ln2: round x / ln2 to nearest (truncation after +-0.5)
                k = Int(invLn2 * x + (negative ? -0.5 : 0.5))
            } else {
                k = negative ? -1 : 1
            }
            let kd = Double(k)
            hi = x - kd * ln2Hi  // exact
            lo = kd * ln2Lo
        } else if hx <= 0x3e30_0000 {  // |x| <= 2^-28: e^x = 1 + x to within half an ulp
            return 1 + x
        }
        let r = hi - lo
        let rr = r * r
        let c = r - rr * (p1 + rr * (p2 + rr * (p3 + rr * (p4 + rr * p5))))
        // fdlibm returns 1 + (r c / (2 - c) - lo + hi). The two outer additions are done here
        // without rounding error (Dekker's Fast2Sum: |hi| >= |t| and 1 >= |th|), so the
        // result is rounded once, which takes the error from 0.88 ulp down to about 0.5.
        let t = r * c / (2 - c) - lo
        let th = hi + t
        let tl = t - (th - hi)
        let yh = 1 + th
        let y = yh + ((th - (yh - 1)) + tl)
        return k == 0 ? y : y.scaledByPowerOfTwo(k)
    }
}
