/// Vectorised tanh and σ for Float: the LSTM evaluates ~42 M of them per batch of 256 seed
/// windows, too many for scalar libm. tanh is Eigen's rational approximation
/// (`generic_fast_tanh_float`: x·P(x²)/Q(x²) on x clamped to ±7.9053, where tanh rounds to ±1),
/// σ(x) = ½·tanh(x/2) + ½. About 1 ns per value with SSE; absolute error ≤ 3.5e-7 (tanh) and
/// ≤ 2e-7 (σ) against Double libm, checked in the tests.
enum FastActivations {
    typealias V = SIMD8<Float>

    @inline(__always)
    static func tanh(_ x: V) -> V {
        let limit: Float = 7.905_311_107_635_498
        var c = x.replacing(with: V(repeating: limit), where: x .> limit)
        c = c.replacing(with: V(repeating: -limit), where: c .< -limit)
        let x2 = c * c
        var p = x2 * -2.760_768_477_423_55e-16 + 2.000_187_904_824_77e-13
        p = p * x2 + -8.604_671_522_137_35e-11
        p = p * x2 + 5.122_297_090_371_14e-08
        p = p * x2 + 1.485_722_357_179_79e-05
        p = p * x2 + 6.372_619_288_754_36e-04
        p = p * x2 + 4.893_524_558_917_86e-03
        p = p * c
        var q = x2 * 1.198_258_394_667_02e-06 + 1.185_347_056_866_54e-04
        q = q * x2 + 2.268_434_632_439_00e-03
        q = q * x2 + 4.893_525_185_543_85e-03
        return p / q
    }

    @inline(__always)
    static func sigmoid(_ x: V) -> V { tanh(x * 0.5) * 0.5 + 0.5 }

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
