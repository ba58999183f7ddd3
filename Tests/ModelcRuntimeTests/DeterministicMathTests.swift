import Foundation
import ModelcRuntime
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// DMath against the C library, sampled over the ranges the runtime uses (feature logs of price
/// ratios and volumes, network activations, exp over its whole finite domain) plus random bit
/// patterns. On x86_64 the reference is glibc's 80-bit long-double function (64-bit
/// significand), so the error measured is DMath's own; elsewhere it is glibc's double function,
/// and the bound widens by that function's own error (1 ulp).
final class DeterministicMathTests: XCTestCase {
    // Bounds per function, a little above the maxima measured on x86_64 over these samples and
    // over 20 million more per range (Spec.md, "Numerics: transcendental functions"):
    // exp 0.80 (0.72 where the result is normal), log 0.93, log1p 0.85, tanh 1.33,
    // sigmoid 1.87; every Float overload 0.5 + 2^-28 (one rounding of the Double result).
    static let floatBound = 0.501

    // MARK: Double

    func testExpDouble() {
        var s = Samples(seed: 1)
        s.strided(-745.2, 709.78, 600_000)
        s.uniform(-745.2, 709.78, 250_000)
        s.uniform(-1, 1, 150_000)
        s.logUniform(0x1p-60, 1, 100_000, bothSigns: true)
        check("exp", s.values, DMath.exp, bound: 1.0, reference: { Ref.exp($0) })
    }

    func testLogDouble() {
        var s = Samples(seed: 3)
        s.randomPositiveBits(300_000)  // every binade, subnormals included
        s.uniform(0.7, 1.3, 300_000)  // price ratios
        s.nearOne(100_000)
        s.logUniform(1e-8, 1e12, 300_000)  // volumes
        s.strided(0.5, 2, 200_000)
        check("log", s.values, DMath.log, bound: 1.0, reference: { Ref.log($0) })
    }

    func testLog1pDouble() {
        var s = Samples(seed: 4)
        s.uniform(-0.999, 1, 300_000)
        s.logUniform(0x1p-60, 1, 200_000, bothSigns: true)
        s.logUniform(1e-8, 1e12, 300_000)  // volumes
        s.nearMinusOne(100_000)
        s.randomPositiveBits(100_000)
        check("log1p", s.values, DMath.log1p, bound: 1.0, reference: { Ref.log1p($0) })
    }

    func testTanhDouble() {
        var s = Samples(seed: 5)
        s.strided(-20, 20, 600_000)
        s.uniform(-40, 40, 200_000)
        s.logUniform(0x1p-40, 1, 200_000, bothSigns: true)
        s.logUniform(20, 1e6, 50_000, bothSigns: true)
        check("tanh", s.values, DMath.tanh, bound: 1.5, reference: { Ref.tanh($0) })
    }

    func testSigmoidDouble() {
        var s = Samples(seed: 6)
        s.strided(-20, 20, 600_000)
        s.uniform(-800, 800, 200_000)
        s.logUniform(0x1p-40, 745, 200_000, bothSigns: true)
        check("sigmoid", s.values, DMath.sigmoid, bound: 2.0, reference: { Ref.sigmoid($0) })
    }

    // MARK: Float

    func testExpFloat() {
        var s = Samples(seed: 11)
        s.strided(-104, 88.8, 500_000)
        s.uniform(-1, 1, 200_000)
        s.logUniform(0x1p-40, 1, 100_000, bothSigns: true)
        checkFloat("exp", s.values, DMath.exp, reference: { Ref.exp($0) })
    }

    func testLogFloat() {
        var s = Samples(seed: 12)
        s.randomPositiveFloatBits(300_000)
        s.uniform(0.7, 1.3, 200_000)
        s.logUniform(1e-8, 1e12, 200_000)
        checkFloat("log", s.values, DMath.log, reference: { Ref.log($0) })
    }

    func testLog1pFloat() {
        var s = Samples(seed: 13)
        s.uniform(-0.999, 1, 200_000)
        s.logUniform(0x1p-40, 1, 200_000, bothSigns: true)
        s.logUniform(1e-8, 1e12, 200_000)
        checkFloat("log1p", s.values, DMath.log1p, reference: { Ref.log1p($0) })
    }

    func testTanhFloat() {
        var s = Samples(seed: 14)
        s.strided(-20, 20, 500_000)
        s.logUniform(0x1p-40, 40, 300_000, bothSigns: true)
        checkFloat("tanh", s.values, DMath.tanh, reference: { Ref.tanh($0) })
    }

    func testSigmoidFloat() {
        var s = Samples(seed: 15)
        s.strided(-20, 20, 500_000)
        s.uniform(-110, 110, 150_000)
        s.logUniform(0x1p-40, 104, 150_000, bothSigns: true)
        checkFloat("sigmoid", s.values, DMath.sigmoid, reference: { Ref.sigmoid($0) })
    }

    // MARK: Edge cases

    func testExpEdgeCases() {
        XCTAssertEqual(DMath.exp(0.0), 1)
        XCTAssertEqual(DMath.exp(-0.0), 1)
        XCTAssertEqual(DMath.exp(Double.infinity), .infinity)
        XCTAssertEqual(DMath.exp(-Double.infinity), 0)
        XCTAssertTrue(DMath.exp(Double.nan).isNaN)
        XCTAssertEqual(DMath.exp(709.79), .infinity)  // just past ln(Double.greatestFiniteMagnitude)
        XCTAssertEqual(DMath.exp(709.78), 1.7928227943945155e308, accuracy: 2e292)
        XCTAssertEqual(DMath.exp(-746.0), 0)
        XCTAssertEqual(DMath.exp(-745.0), Double.leastNonzeroMagnitude)  // e^-745 = 4.94e-324
        XCTAssertTrue(DMath.exp(-740.0).isSubnormal)
        XCTAssertEqual(DMath.exp(0x1p-60), 1)
        XCTAssertEqual(DMath.exp(Float(0)), 1)
        XCTAssertEqual(DMath.exp(Float(89)), .infinity)
        XCTAssertEqual(DMath.exp(Float(-104)), 0)
        XCTAssertTrue(DMath.exp(Float(-100)).isSubnormal)
        XCTAssertTrue(DMath.exp(Float.nan).isNaN)
    }

    func testLogEdgeCases() {
        XCTAssertEqual(DMath.log(1.0), 0)
        XCTAssertEqual(DMath.log(1.0).sign, .plus)
        XCTAssertEqual(DMath.log(0.0), -.infinity)
        XCTAssertEqual(DMath.log(-0.0), -.infinity)
        XCTAssertTrue(DMath.log(-1.0).isNaN)
        XCTAssertTrue(DMath.log(-Double.leastNonzeroMagnitude).isNaN)
        XCTAssertTrue(DMath.log(-Double.infinity).isNaN)
        XCTAssertTrue(DMath.log(Double.nan).isNaN)
        XCTAssertTrue(DMath.log(-Double.nan).isNaN)
        XCTAssertEqual(DMath.log(Double.infinity), .infinity)
        // ln(2^-1074) = -1074 ln 2 and ln(2^1023) = 1023 ln 2, rounded (published values).
        XCTAssertEqual(DMath.log(Double.leastNonzeroMagnitude), -744.4400719213812)
        XCTAssertEqual(DMath.log(0x1p1023), 709.0895657128241)
        XCTAssertEqual(DMath.log(2.0), 0.6931471805599453)
        XCTAssertEqual(DMath.log(Float(0)), -.infinity)
        XCTAssertTrue(DMath.log(Float(-1)).isNaN)
        XCTAssertEqual(DMath.log(Float.leastNonzeroMagnitude), -103.27893)

        XCTAssertEqual(DMath.log1p(0.0).sign, .plus)
        XCTAssertEqual(DMath.log1p(-0.0), 0)
        XCTAssertEqual(DMath.log1p(-0.0).sign, .minus)
        XCTAssertEqual(DMath.log1p(-1.0), -.infinity)
        XCTAssertTrue(DMath.log1p(-1.5).isNaN)
        XCTAssertTrue(DMath.log1p(-Double.infinity).isNaN)
        XCTAssertTrue(DMath.log1p(Double.nan).isNaN)
        XCTAssertEqual(DMath.log1p(Double.infinity), .infinity)
        XCTAssertEqual(DMath.log1p(1e-300), 1e-300)
        XCTAssertEqual(DMath.log1p(Double.leastNonzeroMagnitude), Double.leastNonzeroMagnitude)
        XCTAssertEqual(DMath.log1p(Double.greatestFiniteMagnitude), 709.782712893384)
        XCTAssertEqual(DMath.log1p(Float(-1)), -.infinity)
        XCTAssertEqual(DMath.log1p(Float(-0.0)).sign, .minus)
    }

    func testActivationEdgeCases() {
        XCTAssertEqual(DMath.tanh(0.0).sign, .plus)
        XCTAssertEqual(DMath.tanh(-0.0), 0)
        XCTAssertEqual(DMath.tanh(-0.0).sign, .minus)
        XCTAssertEqual(DMath.tanh(Double.infinity), 1)
        XCTAssertEqual(DMath.tanh(-Double.infinity), -1)
        XCTAssertTrue(DMath.tanh(Double.nan).isNaN)
        XCTAssertEqual(DMath.tanh(1e-200), 1e-200)
        XCTAssertEqual(DMath.tanh(-Double.leastNonzeroMagnitude), -Double.leastNonzeroMagnitude)
        XCTAssertEqual(DMath.tanh(30.0), 1)
        XCTAssertEqual(DMath.tanh(-1e300), -1)
        XCTAssertEqual(DMath.tanh(Float(-0.0)).sign, .minus)
        XCTAssertEqual(DMath.tanh(Float(1e-30)), Float(1e-30))
        XCTAssertEqual(DMath.tanh(Float.infinity), 1)

        XCTAssertEqual(DMath.sigmoid(0.0), 0.5)
        XCTAssertEqual(DMath.sigmoid(-0.0), 0.5)
        XCTAssertEqual(DMath.sigmoid(Double.infinity), 1)
        XCTAssertEqual(DMath.sigmoid(-Double.infinity), 0)
        XCTAssertTrue(DMath.sigmoid(Double.nan).isNaN)
        XCTAssertEqual(DMath.sigmoid(40.0), 1)
        XCTAssertEqual(DMath.sigmoid(-800.0), 0)
        XCTAssertEqual(DMath.sigmoid(-740.0), DMath.exp(-740.0))  // 1 + e^x == 1 there
        XCTAssertEqual(DMath.sigmoid(Float(0)), 0.5)
        XCTAssertEqual(DMath.sigmoid(-Float.infinity), 0)
        XCTAssertTrue(DMath.sigmoid(Float.nan).isNaN)

        // Odd symmetry holds bit for bit by construction.
        for x in stride(from: -25.0, through: 25.0, by: 0.0137) {
            XCTAssertEqual(DMath.tanh(-x).bitPattern, (-DMath.tanh(x)).bitPattern)
        }
    }

    // MARK: Harness

    private func check(_ name: String, _ xs: [Double], _ f: (Double) -> Double, bound: Double, reference: (Double) -> Ref.Value) {
        var worst = 0.0
        var worstX = 0.0
        for x in xs {
            let e = Ref.ulpError(f(x), reference(x), significandBits: 52, minExponent: -1022)
            if !(e <= worst) {
                worst = e
                worstX = x
            }
        }
        print("DMath.\(name)(Double): max \(worst) ulp over \(xs.count) arguments (at \(worstX))")
        XCTAssertLessThanOrEqual(worst, bound + Ref.slack, "\(name)(\(worstX))")
    }

    private func checkFloat(_ name: String, _ xs: [Double], _ f: (Float) -> Float, reference: (Double) -> Ref.Value) {
        var worst = 0.0
        var worstX: Float = 0
        for x64 in xs {
            let x = Float(x64)
            let e = Ref.ulpError(Double(f(x)), reference(Double(x)), significandBits: 23, minExponent: -126)
            if !(e <= worst) {
                worst = e
                worstX = x
            }
        }
        print("DMath.\(name)(Float): max \(worst) ulp over \(xs.count) arguments (at \(worstX))")
        XCTAssertLessThanOrEqual(worst, Self.floatBound + Ref.slack, "\(name)(\(worstX))")
    }
}

/// The C library as the reference, in the widest type it offers here.
private enum Ref {
    #if arch(x86_64) && canImport(Glibc)
        typealias Value = Float80
        static let slack = 0.0
        static func exp(_ x: Double) -> Value { expl(Value(x)) }
        static func log(_ x: Double) -> Value { logl(Value(x)) }
        static func log1p(_ x: Double) -> Value { log1pl(Value(x)) }
        static func tanh(_ x: Double) -> Value { tanhl(Value(x)) }
        static func sigmoid(_ x: Double) -> Value { 1 / (1 + expl(-Value(x))) }
    #else
        typealias Value = Double
        static let slack = 1.0
        static func exp(_ x: Double) -> Value { Foundation.exp(x) }
        static func log(_ x: Double) -> Value { Foundation.log(x) }
        static func log1p(_ x: Double) -> Value { Foundation.log1p(x) }
        static func tanh(_ x: Double) -> Value { Foundation.tanh(x) }
        static func sigmoid(_ x: Double) -> Value { x >= 0 ? 1 / (1 + Foundation.exp(-x)) : Foundation.exp(x) / (1 + Foundation.exp(x)) }
    #endif

    /// |y - ref| in units of the last place of the target format at ref's binade (subnormal
    /// spacing below the smallest normal). Where ref rounds to infinity in the target format,
    /// y must be that infinity.
    static func ulpError(_ y: Double, _ ref: Value, significandBits: Int, minExponent: Int) -> Double {
        if ref.isNaN || y.isNaN { return ref.isNaN && y.isNaN ? 0 : .infinity }
        let refInTarget = significandBits == 23 ? Double(Float(ref)) : Double(ref)
        if refInTarget.isInfinite || y.isInfinite { return y == refInTarget ? 0 : .infinity }
        let exponent = ref == 0 ? minExponent : max(Int(ref.exponent), minExponent)
        let ulp = Value(sign: .plus, exponent: Value.Exponent(exponent - significandBits), significand: 1)
        return Double((Value(y) - ref).magnitude / ulp)
    }
}

/// Deterministic argument sets: strided sweeps plus seeded random draws.
private struct Samples {
    var values: [Double] = []
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    mutating func unit() -> Double { rng.unit() }

    mutating func strided(_ a: Double, _ b: Double, _ n: Int) {
        for i in 0..<n { values.append(a + (b - a) * Double(i) / Double(n - 1)) }
    }

    mutating func uniform(_ a: Double, _ b: Double, _ n: Int) {
        for _ in 0..<n { values.append(a + (b - a) * unit()) }
    }

    mutating func logUniform(_ a: Double, _ b: Double, _ n: Int, bothSigns: Bool = false) {
        let la = Foundation.log(a)
        let lb = Foundation.log(b)
        for _ in 0..<n {
            let x = Foundation.exp(la + (lb - la) * unit())
            values.append(bothSigns && rng.next() & 1 == 1 ? -x : x)
        }
    }

    mutating func randomPositiveBits(_ n: Int) {
        var added = 0
        while added < n {
            let x = Double(bitPattern: rng.next() >> 1)
            if x.isFinite && x > 0 {
                values.append(x)
                added += 1
            }
        }
    }

    mutating func randomPositiveFloatBits(_ n: Int) {
        var added = 0
        while added < n {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next() >> 33))
            if x.isFinite && x > 0 {
                values.append(Double(x))
                added += 1
            }
        }
    }

    /// 1 +- 2^-k for k in 1...52: logs of ratios of nearly equal prices.
    mutating func nearOne(_ n: Int) {
        for _ in 0..<n {
            let d = Foundation.exp2(-1 - 51 * unit())
            values.append(rng.next() & 1 == 1 ? 1 + d : 1 - d)
        }
    }

    /// -1 + 2^-k for k in 1...52.
    mutating func nearMinusOne(_ n: Int) {
        for _ in 0..<n { values.append(-1 + Foundation.exp2(-1 - 51 * unit())) }
    }
}
