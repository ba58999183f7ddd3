/// Vectorised σ and tanh for Float: the LSTM evaluates ~33 M of them per batch of 256 seed
/// windows, too many for scalar libm. Built on a Cephes-style `exp` (range reduction by ln 2,
/// degree-6 polynomial, exponent bits set directly); relative error ≈ 2e-7, checked against
/// Double libm in the tests.
enum FastActivations {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func exp(_ x: V) -> V {
        // 1.5·2²³: adding it rounds to an integer (to nearest even) held in the low mantissa bits.
        let magic = V(repeating: 12_582_912)
        var r = pointwiseMax(pointwiseMin(x, V(repeating: 88.3)), V(repeating: -87.3))
        let shifted = r * 1.442_695_04 + magic
        let n = shifted - magic
        r = r - n * 0.693_359_375
        r = r - n * -2.121_944_4e-4
        var p = V(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 1.666_666_55e-1
        p = p * r + 5.000_000_12e-1
        p = p * (r * r) + r + 1
        let integer = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        let scale = unsafeBitCast((integer &+ 127) &<< 23, to: V.self)
        return p * scale
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V {
        let e = exp(-abs(x))
        let r = 1 / (1 + e)
        return r.replacing(with: e * r, where: x .< 0)
    }

    @inline(__always)
    static func tanh(_ x: V) -> V {
        let a = abs(x)
        let e = exp(-2 * a)
        var t = (1 - e) / (1 + e)
        // Near 0, 1 − e cancels: use the series x − x³/3 + 2x⁵/15 − 17x⁷/315 instead.
        let x2 = a * a
        var series = x2 * V(repeating: -17.0 / 315) + 2.0 / 15
        series = series * x2 - 1.0 / 3
        series = a * (series * x2 + 1)
        t = t.replacing(with: series, where: a .< 0.125)
        return t.replacing(with: -t, where: x .< 0)
    }

    @inline(__always)
    private static func abs(_ x: V) -> V { x.replacing(with: -x, where: x .< 0) }

    static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(x + i).storeBytes(of: sigmoid(v), as: V.self)
            i += 8
        }
        if i < count { tail(x + i, into: x + i, count: count - i, sigmoid) }
    }

    static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i + 8 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: tanh(v), as: V.self)
            i += 8
        }
        if i < count { tail(x + i, into: y + i, count: count - i, tanh) }
    }

    /// The last `count` (< 8) values through the vector function, padded.
    @inline(__always)
    private static func tail(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, _ f: (V) -> V) {
        var v = V()
        for j in 0..<count { v[j] = x[j] }
        let r = f(v)
        for j in 0..<count { y[j] = r[j] }
    }
}
