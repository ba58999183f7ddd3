import CBLAS
import Foundation

/// The element type of the network code: `Float` trains, `Double` checks gradients against finite
/// differences with the very same layer code. Matrix products go to OpenBLAS (row-major).
public protocol NNScalar: BinaryFloatingPoint, Sendable where RawSignificand: FixedWidthInteger {
    /// `C ← α·op(A)·op(B) + β·C`, row-major, `op(A)` is `m × k`, `op(B)` is `k × n`.
    static func blasGemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self,
                         _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                         _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
    static func exp(_ x: Self) -> Self
    static func log(_ x: Self) -> Self
    /// `x[i] ← σ(x[i])` for `count` values.
    static func sigmoid(_ x: UnsafeMutablePointer<Self>, count: Int)
    /// `y[i] ← tanh(x[i])` for `count` values (`x` and `y` may be the same).
    static func tanh(_ x: UnsafePointer<Self>, into y: UnsafeMutablePointer<Self>, count: Int)
}

extension NNScalar {
    /// A matrix product that skips empty shapes (BLAS rejects some of them).
    @_specialize(where Self == Float)
    @_specialize(where Self == Double)
    static func gemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Self = 1,
                     _ a: UnsafePointer<Self>, _ lda: Int, _ b: UnsafePointer<Self>, _ ldb: Int,
                     _ beta: Self, _ c: UnsafeMutablePointer<Self>, _ ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta != 1 { for r in 0..<m { for j in 0..<n { c[r * ldc + j] = beta == 0 ? 0 : beta * c[r * ldc + j] } } }
            return
        }
        blasGemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    }
}

@inline(__always) private func trans(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: NNScalar {
    public static func blasGemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                                _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                                _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
        cblas_sgemm(CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func exp(_ x: Float) -> Float { Foundation.exp(x) }
    public static func log(_ x: Float) -> Float { Foundation.log(x) }
    public static func sigmoid(_ x: UnsafeMutablePointer<Float>, count: Int) { FastActivations.sigmoid(x, count: count) }
    public static func tanh(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
        FastActivations.tanh(x, into: y, count: count)
    }
}

extension Double: NNScalar {
    public static func blasGemm(_ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Double,
                                _ a: UnsafePointer<Double>, _ lda: Int, _ b: UnsafePointer<Double>, _ ldb: Int,
                                _ beta: Double, _ c: UnsafeMutablePointer<Double>, _ ldc: Int) {
        cblas_dgemm(CblasRowMajor, trans(transA), trans(transB), Int32(m), Int32(n), Int32(k), alpha,
                    a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    public static func exp(_ x: Double) -> Double { Foundation.exp(x) }
    public static func log(_ x: Double) -> Double { Foundation.log(x) }
    /// libm in Double: the reference the Float approximations are checked against.
    public static func sigmoid(_ x: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count {
            let v = x[i]
            x[i] = v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v))
        }
    }
    public static func tanh(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        for i in 0..<count { y[i] = Foundation.tanh(x[i]) }
    }
}
