/// Deterministic transcendental functions: the same bits on every host.
///
/// libm results differ in the last bit between glibc versions (and between libm builds for
/// x86_64 and aarch64), and a score must not. Every function here is built from IEEE-754
/// `+ - * /` and bit manipulation only, in a fixed order with no fused multiply-add (Swift -O
/// never contracts `a * b + c`; `addingProduct` is never called), so it rounds identically on
/// every conforming CPU, in the normal and the Embedded build.
///
/// The Double algorithms and coefficients are published ones: fdlibm's (Sun Microsystems,
/// 1993/2004, as carried by FreeBSD msun and musl) `e_exp.c`, `e_log.c` and `s_log1p.c`, and
/// Cephes' `tanh.c` rational approximation near 0. The measured error bounds are in Spec.md
/// ("Numerics: transcendental functions") and DeterministicMathTests.
///
/// The Float overloads evaluate the Double algorithm and round once to Float: one algorithm
/// per function (no second set of coefficients to drift), and the results are within about
/// half an ulp, i.e. nearly always correctly rounded.
public enum DMath {
    /// e^x as a Float: the Double result rounded once.
    @inline(__always) public static func exp(_ x: Float) -> Float { Float(exp(Double(x))) }
    /// Natural logarithm as a Float: the Double result rounded once.
    @inline(__always) public static func log(_ x: Float) -> Float { Float(log(Double(x))) }
    /// log(1 + x) as a Float: the Double result rounded once.
    @inline(__always) public static func log1p(_ x: Float) -> Float { Float(log1p(Double(x))) }
    /// Hyperbolic tangent as a Float: the Double result rounded once.
    @inline(__always) public static func tanh(_ x: Float) -> Float { Float(tanh(Double(x))) }
    /// Logistic sigmoid 1 / (1 + e^−x) as a Float: the Double result rounded once.
    @inline(__always) public static func sigmoid(_ x: Float) -> Float { Float(sigmoid(Double(x))) }
}
