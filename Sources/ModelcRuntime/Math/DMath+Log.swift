// log and log1p, translated from fdlibm (FreeBSD msun e_log.c and s_log1p.c;
// Copyright (C) 1993 by Sun Microsystems, Inc. Permission to use, copy, modify, and
// distribute this software is freely granted, provided that this notice is preserved.)

extension DMath {
    // log(1+f) = f - s(f - R(z)), s = f / (2 + f), R ~ Lg1 s^2 + ... + Lg7 s^14, |error| < 2^-58.9.
    private static let lg1: Double = 6.666666666666735130e-01
    private static let lg2: Double = 3.999999999940941908e-01
    private static let lg3: Double = 2.857142874366239149e-01
    private static let lg4: Double = 2.222219843214978396e-01
    private static let lg5: Double = 1.818357216161805012e-01
    private static let lg6: Double = 1.531383769920937332e-01
    private static let lg7: Double = 1.479819860511658591e-01
    /// 2^54, to bring subnormals into the normal range.
    private static let two54: Double = 1.80143985094819840000e+16

    /// Natural logarithm, < 1 ulp. Writes x = 2^k (1 + f) with sqrt(2)/2 < 1 + f < sqrt(2)
    /// and evaluates log(1 + f) by fdlibm's polynomial in s = f / (2 + f). Exact 0 at x = 1.
    /// log(+-0) = -inf, log(x < 0) = NaN, log(+inf) = +inf, NaN propagates.
    public static func log(_ x: Double) -> Double {
        var v = x
        var hx = x.highWord
        var k: Int32 = 0
        if hx < 0x0010_0000 {  // x < 2^-1022, or negative, or a negative NaN
            if (hx & 0x7fff_ffff) == 0 && UInt32(truncatingIfNeeded: x.bitPattern) == 0 { return -.infinity }
            if hx < 0 { return x.isNaN ? x + x : .nan }
            k -= 54
            v *= two54  // subnormal: scale up exactly
            hx = v.highWord
        }
        if hx >= 0x7ff0_0000 { return v + v }  // +inf or NaN
        k += (hx >> 20) - 1023
        hx &= 0x000f_ffff
        let i = (hx &+ 0x95f64) & 0x0010_0000
        v = v.replacingHighWord(hx | (i ^ 0x3ff0_0000))  // normalise x or x/2 into [sqrt(2)/2, sqrt(2))
        k += i >> 20
        let f = v - 1  // exact
        let dk = Double(k)
        if (0x000f_ffff & (2 &+ hx)) < 3 {  // -2^-20 <= f < 2^-20
            if f == 0 { return k == 0 ? 0 : dk * ln2Hi + dk * ln2Lo }
            let r = f * f * (0.5 - 0.33333333333333333 * f)
            return k == 0 ? f - r : dk * ln2Hi - ((r - dk * ln2Lo) - f)
        }
        let s = f / (2 + f)
        let z = s * s
        let w = z * z
        let t1 = w * (lg2 + w * (lg4 + w * lg6))
        let t2 = z * (lg1 + w * (lg3 + w * (lg5 + w * lg7)))
        let r = t2 + t1
        if ((hx &- 0x6147a) | (0x6b851 &- hx)) > 0 {  // f far enough from 0: use hfsq = f^2/2
            let hfsq = 0.5 * f * f
            if k == 0 { return f - (hfsq - s * (hfsq + r)) }
            return dk * ln2Hi - ((hfsq - (s * (hfsq + r) + dk * ln2Lo)) - f)
        }
        if k == 0 { return f - s * (f - r) }
        return dk * ln2Hi - ((s * (f - r) - dk * ln2Lo) - f)
    }

    /// log(1 + x), < 1 ulp, accurate for tiny x (log1p(x) = x for |x| < 2^-54). Reduces
    /// 1 + x = 2^k (1 + f) and keeps the rounding error of 1 + x as a correction term.
    /// log1p(+-0) = +-0, log1p(-1) = -inf, log1p(x < -1) = NaN, log1p(+inf) = +inf.
    public static func log1p(_ x: Double) -> Double {
        let hx = x.highWord
        let ax = hx & 0x7fff_ffff
        var k: Int32 = 1
        var f = 0.0
        var c = 0.0
        var hu: Int32 = 0
        if hx < 0x3fda_827a {  // 1 + x < sqrt(2)+
            if ax >= 0x3ff0_0000 {  // x <= -1, -inf, or a negative NaN
                if x == -1 { return -.infinity }
                return x.isNaN ? x + x : .nan
            }
            if ax < 0x3e20_0000 {  // |x| < 2^-29
                return ax < 0x3c90_0000 ? x : x - x * x * 0.5
            }
            if hx > 0 || hx <= Int32(bitPattern: 0xbfd2_bec4) {  // sqrt(2)/2- <= 1 + x < sqrt(2)+
                k = 0
                f = x
                hu = 1
            }
        }
        if hx >= 0x7ff0_0000 { return x + x }  // +inf or NaN
        if k != 0 {
            var u: Double
            if hx < 0x4340_0000 {  // x < 2^53: 1 + x is inexact, keep its error in c
                u = 1 + x
                hu = u.highWord
                k = (hu >> 20) - 1023
                c = k > 0 ? 1 - (u - x) : x - (u - 1)
                c /= u
            } else {
                u = x
                hu = u.highWord
                k = (hu >> 20) - 1023
                c = 0
            }
            hu &= 0x000f_ffff
            if hu < 0x6a09e {  // u ~< sqrt(2)
                u = u.replacingHighWord(hu | 0x3ff0_0000)  // normalise u
            } else {
                k += 1
                u = u.replacingHighWord(hu | 0x3fe0_0000)  // normalise u / 2
                hu = (0x0010_0000 - hu) >> 2
            }
            f = u - 1
        }
        let dk = Double(k)
        let hfsq = 0.5 * f * f
        if hu == 0 {  // |f| < 2^-20
            if f == 0 {
                return k == 0 ? 0 : dk * ln2Hi + (c + dk * ln2Lo)
            }
            let r = hfsq * (1 - 0.66666666666666666 * f)
            return k == 0 ? f - r : dk * ln2Hi - ((r - (dk * ln2Lo + c)) - f)
        }
        let s = f / (2 + f)
        let z = s * s
        let r = z * (lg1 + z * (lg2 + z * (lg3 + z * (lg4 + z * (lg5 + z * (lg6 + z * lg7))))))
        if k == 0 { return f - (hfsq - s * (hfsq + r)) }
        return dk * ln2Hi - ((hfsq - (s * (hfsq + r) + (dk * ln2Lo + c))) - f)
    }
}
