import CModelcKernels
import Foundation
import XCTest

/// Every C kernel against a plain Swift loop in the order Spec.md states: the bits must be equal,
/// whatever instruction set the kernel was dispatched to.
final class KernelReferenceTests: XCTestCase {
    private var rng = SystemRandomNumberGenerator()

    private func randoms(_ n: Int, _ scale: Float = 1) -> [Float] {
        (0..<n).map { _ in Float.random(in: -scale...scale, using: &rng) }
    }

    /// Shapes that hit every tile and remainder path: whole and partial panels of 16, panel
    /// blocks of 4 and their remainders (one row), row blocks of 6 and every remainder, input
    /// counts that are not multiples of 4 (the int8-dynamic quad padding).
    private let shapes: [(rows: Int, cols: Int, n: Int)] = [
        (1, 1, 1), (7, 3, 1), (32, 5, 2), (64, 19, 1), (65, 19, 3), (96, 33, 5), (130, 70, 4), (512, 128, 1),
        (512, 256, 7), (40, 21, 13), (17, 9, 6), (200, 2, 11),
    ]

    private func packed(_ w: [Float], rows: Int, cols: Int) -> [Float] {
        var p = [Float](repeating: .nan, count: mck_packed_count(rows, cols))
        mck_pack_f32(w, rows, cols, &p)
        return p
    }

    func testMatmulF32() {
        for (rows, cols, n) in shapes {
            let w = randoms(rows * cols), x = randoms(n * cols, 4), bias = randoms(rows)
            var y = [Float](repeating: .nan, count: n * rows)
            mck_matmul_f32(packed(w, rows: rows, cols: cols), rows, cols, x, n, bias, &y)
            for j in 0..<n {
                for o in 0..<rows {
                    var acc: Float = 0
                    for k in 0..<cols { acc = acc + w[o * cols + k] * x[j * cols + k] }
                    XCTAssertEqual(y[j * rows + o].bitPattern, (acc + bias[o]).bitPattern, "\(rows)x\(cols) row \(j) out \(o)")
                }
            }
        }
    }

    func testMatmulInt8WeightOnly() {
        for (rows, cols, n) in shapes {
            let q = (0..<(rows * cols)).map { _ in Int8.random(in: -127...127, using: &rng) }
            let scales = randoms(rows).map { abs($0) + 0.01 }, x = randoms(n * cols, 3)
            var y = [Float](repeating: .nan, count: n * rows)
            var p = [Int8](repeating: 99, count: mck_packed_count(rows, cols))
            mck_pack_i8(q, rows, cols, &p)
            mck_matmul_i8w(p, scales, rows, cols, x, n, nil, &y)
            for j in 0..<n {
                for o in 0..<rows {
                    var acc: Float = 0
                    for k in 0..<cols { acc = acc + Float(q[o * cols + k]) * x[j * cols + k] }
                    XCTAssertEqual(y[j * rows + o].bitPattern, (acc * scales[o]).bitPattern)
                }
            }
        }
    }

    func testMatmulInt8Dynamic() {
        for (rows, cols, n) in shapes {
            let q = (0..<(rows * cols)).map { _ in Int8.random(in: -127...127, using: &rng) }
            let scales = randoms(rows).map { abs($0) + 0.01 }, bias = randoms(rows)
            var x = randoms(n * cols, 3)
            if n > 1 { for k in 0..<cols { x[cols + k] = 0 } }  // an all-zero vector gives the bias
            if n > 2 { x[2 * cols + cols / 2] = .infinity }   // a non-finite one gives NaN
            var y = [Float](repeating: .nan, count: n * rows)
            var p = [Int8](repeating: 99, count: mck_packed_i8d_count(rows, cols))
            mck_pack_i8d(q, rows, cols, &p)
            var scratch = [Int32](repeating: 0, count: mck_i8d_scratch_count(cols, n))
            mck_matmul_i8d(p, scales, rows, cols, x, n, bias, &y, &scratch)
            // The pairs layout gives the same bits.
            var yPairs = [Float](repeating: .nan, count: n * rows)
            var pp = [Int16](repeating: 99, count: mck_packed_i8d_pairs_count(rows, cols))
            mck_pack_i8d_pairs(q, rows, cols, &pp)
            var pairsScratch = [Int32](repeating: 0, count: mck_i8d_pairs_scratch_count(cols, n))
            mck_matmul_i8d_pairs(pp, scales, rows, cols, x, n, bias, &yPairs, &pairsScratch)
            XCTAssertEqual(yPairs.map(\.bitPattern), y.map(\.bitPattern), "pairs, \(rows) x \(cols), n \(n)")
            for j in 0..<n {
                let v = Array(x[(j * cols)..<((j + 1) * cols)])
                let maxAbs = v.map(abs).max()!
                for o in 0..<rows {
                    let expected: Float
                    if !maxAbs.isFinite {
                        XCTAssertTrue(y[j * rows + o].isNaN)
                        continue
                    } else if maxAbs == 0 {
                        expected = bias[o]
                    } else {
                        let s = maxAbs / 127
                        var acc: Int32 = 0
                        for k in 0..<cols { acc += Int32(q[o * cols + k]) * Int32((v[k] / s).rounded(.toNearestOrAwayFromZero)) }
                        expected = Float(acc) * scales[o] * s + bias[o]
                    }
                    XCTAssertEqual(y[j * rows + o].bitPattern, expected.bitPattern)
                }
            }
        }
    }

    /// Dynamic int8 at the extremes of its integer range: every input quantises to ±127 (all of
    /// equal magnitude) and every weight is ±127, with equal signs (the largest sums, where a
    /// saturating 16-bit step would show), opposite signs and mixed signs; the int32 sums are
    /// checked in Int64 and the scores against the formula.
    func testMatmulInt8DynamicExtremes() {
        for (rows, cols) in [(16, 4), (33, 7), (512, 128), (64, 256)] {
            for pattern in 0..<4 {
                let q: [Int8] = (0..<(rows * cols)).map { _ in
                    pattern == 2 || (pattern == 3 && Bool.random(using: &self.rng)) ? -127 : 127
                }
                let x: [Float] = (0..<cols).map { _ in pattern == 1 || (pattern == 3 && Bool.random(using: &self.rng)) ? -0.5 : 0.5 }
                let scales = [Float](repeating: 1, count: rows)
                var p = [Int8](repeating: 0, count: mck_packed_i8d_count(rows, cols))
                mck_pack_i8d(q, rows, cols, &p)
                var scratch = [Int32](repeating: 0, count: mck_i8d_scratch_count(cols, 1))
                var y = [Float](repeating: .nan, count: rows)
                mck_matmul_i8d(p, scales, rows, cols, x, 1, nil, &y, &scratch)
                let s: Float = 0.5 / 127
                for o in 0..<rows {
                    var acc: Int64 = 0
                    for k in 0..<cols { acc += Int64(q[o * cols + k]) * (x[k] < 0 ? -127 : 127) }
                    if pattern < 3 { XCTAssertEqual(abs(acc), Int64(cols) * 127 * 127) }
                    XCTAssertEqual(y[o].bitPattern, (Float(acc) * 1 * s).bitPattern, "rows \(rows) cols \(cols) pattern \(pattern) output \(o)")
                }
            }
        }
    }

    /// The vectorised loops give the scalar function's bits, element by element.
    func testVectorActivationsEqualScalar() {
        let x = randoms(1000, 30) + [0, -0.0, .infinity, -.infinity, .nan, 1e-30, -1e-30, 0.625, -0.625, 100, -100]
        var s = x, t = x
        mck_sigmoid_n(&s, s.count)
        mck_tanh_n(&t, t.count)
        for i in x.indices {
            XCTAssertEqual(s[i].bitPattern, mck_sigmoidf(x[i]).bitPattern, "sigmoid(\(x[i]))")
            XCTAssertEqual(t[i].bitPattern, mck_tanhf(x[i]).bitPattern, "tanh(\(x[i]))")
        }
    }

    /// Spec.md §7.2's cell, written out: sigmoid = 1/(1 + E), tanh = (T − 1)/(T + 1), the two
    /// divisions of the fused form.
    static func referenceCell(i zi: Float, f zf: Float, g zg: Float, o zo: Float, c: Float) -> (c: Float, h: Float) {
        let a = 1 + mck_cell_expf(-zi), d = 1 + mck_cell_expf(-zf)
        let tg = mck_cell_expf(zg + zg)
        let ab = a * (tg + 1)
        let cn = (c * ab + (tg - 1) * d) / (d * ab)
        let tc = mck_cell_expf(cn + cn)
        return (cn, (tc - 1) / ((1 + mck_cell_expf(-zo)) * (tc + 1)))
    }

    func testLstmCellReference() {
        let hidden = 37
        let z = randoms(4 * hidden, 6) + [0, -0.0, 25, -25, .nan, 1e-30, 20, -20] + randoms(3 * 8, 1)
        let units = z.count / 4
        let c0 = randoms(units, 2)
        var c = c0, h = [Float](repeating: 0, count: units)
        // Blocked rows: unit j's gates at j, units + j, 2·units + j, 3·units + j.
        let zb = (0..<4).flatMap { g in (0..<units).map { z[$0 * 4 + g] } }
        mck_lstm_cell(zb, &c, &h, units)
        for j in 0..<units {
            let r = Self.referenceCell(i: z[4 * j], f: z[4 * j + 1], g: z[4 * j + 2], o: z[4 * j + 3], c: c0[j])
            XCTAssertEqual(c[j].bitPattern, r.c.bitPattern, "unit \(j)")
            XCTAssertEqual(h[j].bitPattern, r.h.bitPattern, "unit \(j)")
        }
    }

    /// The cell against the textbook cell in Double with glibc's exp and tanh, over gate inputs
    /// past the clamp: c and h agree to a few float ulps of their scale.
    func testLstmCellAccuracy() {
        var worstC = 0.0, worstH = 0.0
        for _ in 0..<200_000 {
            let z = randoms(4, 30), c0 = randoms(1, 8)[0]
            let r = Self.referenceCell(i: z[0], f: z[1], g: z[2], o: z[3], c: c0)
            func sigmoid(_ x: Float) -> Double { 1 / (1 + Foundation.exp(-Double(x))) }
            let c = sigmoid(z[1]) * Double(c0) + sigmoid(z[0]) * Foundation.tanh(Double(z[2]))
            let h = sigmoid(z[3]) * Foundation.tanh(c)
            worstC = max(worstC, abs(Double(r.c) - c) / max(1, abs(c)))
            worstH = max(worstH, abs(Double(r.h) - h))
        }
        XCTAssertLessThan(worstC, 6e-7)
        XCTAssertLessThan(worstH, 4e-7)
        XCTAssertTrue(Self.referenceCell(i: .nan, f: 0, g: 0, o: 0, c: 0).c.isNaN)
        XCTAssertTrue(Self.referenceCell(i: 0, f: 0, g: 0, o: .nan, c: 0).h.isNaN)
        XCTAssertEqual(Self.referenceCell(i: 200, f: -200, g: 200, o: 200, c: 5).h, Float(Foundation.tanh(1.0)), accuracy: 1e-7)
    }

    /// The fused step (product, bias u and cell, gate rows grouped by 16 units) against the plain
    /// product and cell in PyTorch's blocked order, for each weight type, over a few steps from h = 0
    /// (the all-zero vector dynamic int8 cannot quantise).
    func testLstmStepMatchesProductAndCell() {
        for hidden in [16, 80] {  // 80: a full cell batch of 64 units, then 16
            let rows = 4 * hidden
            let w = randoms(rows * hidden, 0.4), u = randoms(rows, 2)
            let q = (0..<(rows * hidden)).map { _ in Int8.random(in: -127...127, using: &rng) }
            let scales = randoms(rows).map { (abs($0) + 0.01) * 0.01 }
            // Grouped row r is gate (r / 16) % 4 of unit 16 * (r / 64) + r % 16; blocked row gate * hidden + unit.
            let source = (0..<rows).map { r in ((r / 16) % 4) * hidden + 16 * (r / 64) + r % 16 }
            func grouped<T>(_ m: [T]) -> [T] { source.flatMap { m[($0 * hidden)..<(($0 + 1) * hidden)] } }
            var pf = [Float](repeating: 0, count: mck_packed_count(rows, hidden))
            var pq = [Int8](repeating: 0, count: mck_packed_count(rows, hidden))
            var pd = [Int8](repeating: 0, count: mck_packed_i8d_count(rows, hidden))
            var pp = [Int16](repeating: 0, count: mck_packed_i8d_pairs_count(rows, hidden))
            mck_pack_f32(grouped(w), rows, hidden, &pf)
            mck_pack_i8(grouped(q), rows, hidden, &pq)
            mck_pack_i8d(grouped(q), rows, hidden, &pd)
            mck_pack_i8d_pairs(grouped(q), rows, hidden, &pp)
            let ug = source.map { u[$0] }, sg = source.map { scales[$0] }
            for kind in ["f32", "int8", "int8-dynamic", "int8-dynamic-pairs"] {
                var h = [Float](repeating: 0, count: hidden), c = h, hRef = h, cRef = h
                var scratch = [Int32](repeating: 0, count: mck_i8d_pairs_scratch_count(hidden, 1))
                for step in 0..<4 {
                    var next = h
                    switch kind {
                    case "f32": mck_lstm_step_f32(pf, hidden, h, ug, &c, &next)
                    case "int8": mck_lstm_step_i8w(pq, sg, hidden, h, ug, &c, &next)
                    case "int8-dynamic": mck_lstm_step_i8d(pd, sg, hidden, h, ug, &c, &next, &scratch)
                    default: mck_lstm_step_i8d_pairs(pp, sg, hidden, h, ug, &c, &next, &scratch)
                    }
                    h = next
                    let s = hRef.map(abs).max()! / 127
                    let z: [Float] = (0..<rows).map { o in
                        switch kind {
                        case "f32":
                            var acc: Float = 0
                            for k in 0..<hidden { acc = acc + w[o * hidden + k] * hRef[k] }
                            return acc + u[o]
                        case "int8":
                            var acc: Float = 0
                            for k in 0..<hidden { acc = acc + Float(q[o * hidden + k]) * hRef[k] }
                            return acc * scales[o] + u[o]
                        default:
                            if s == 0 { return u[o] }
                            var acc: Int32 = 0
                            for k in 0..<hidden { acc += Int32(q[o * hidden + k]) * Int32((hRef[k] / s).rounded(.toNearestOrAwayFromZero)) }
                            return Float(acc) * scales[o] * s + u[o]
                        }
                    }
                    for j in 0..<hidden {
                        (cRef[j], hRef[j]) = Self.referenceCell(i: z[j], f: z[hidden + j], g: z[2 * hidden + j],
                                                                o: z[3 * hidden + j], c: cRef[j])
                    }
                    for j in 0..<hidden {
                        XCTAssertEqual(c[j].bitPattern, cRef[j].bitPattern, "\(kind) hidden \(hidden) step \(step) unit \(j)")
                        XCTAssertEqual(h[j].bitPattern, hRef[j].bitPattern, "\(kind) hidden \(hidden) step \(step) unit \(j)")
                    }
                }
            }
        }
    }

    /// Batched steps (windows scored together, `mck_lstm_rows_*`) give every row the bits of the
    /// single step on that row alone: rows strided apart, one shared h₀ (stride 0), every row-block
    /// remainder, hidden sizes with a partial cell batch, and for dynamic int8 an all-zero and a
    /// NaN row among the others.
    func testLstmRowsMatchSingleSteps() {
        for hidden in [16, 80, 128] {
            let rows = 4 * hidden
            let w = randoms(rows * hidden, 0.4)
            let q = (0..<(rows * hidden)).map { _ in Int8.random(in: -127...127, using: &rng) }
            let scales = randoms(rows).map { (abs($0) + 0.01) * 0.01 }
            var pf = [Float](repeating: 0, count: mck_packed_count(rows, hidden))
            var pq = [Int8](repeating: 0, count: mck_packed_count(rows, hidden))
            var pd = [Int8](repeating: 0, count: mck_packed_i8d_count(rows, hidden))
            var pp = [Int16](repeating: 0, count: mck_packed_i8d_pairs_count(rows, hidden))
            mck_pack_f32(w, rows, hidden, &pf)
            mck_pack_i8(q, rows, hidden, &pq)
            mck_pack_i8d(q, rows, hidden, &pd)
            mck_pack_i8d_pairs(q, rows, hidden, &pp)
            for n in [2, 3, 5, 6, 7, 13] {
                let hStride = hidden + 3, uStride = rows + 5, nStride = hidden + 2
                for shared in [false, true] {
                    var h = randoms(n * hStride, 1.5)
                    if !shared && n > 3 {
                        for k in 0..<hidden { h[2 * hStride + k] = 0 }
                        h[3 * hStride + 1] = .nan
                    }
                    let u = randoms(n * uStride, 2), c0 = randoms(n * hidden, 3)
                    for kind in ["f32", "int8", "int8-dynamic", "int8-dynamic-pairs"] {
                        var c = c0, next = [Float](repeating: -7, count: n * nStride)
                        var z = [Float](repeating: 0, count: n * 4 * Int(MCK_CELL_UNITS))
                        var scratch = [Int32](repeating: 0, count: mck_i8d_pairs_scratch_count(hidden, n))
                        let hs = shared ? 0 : hStride
                        switch kind {
                        case "f32": mck_lstm_rows_f32(pf, hidden, n, h, hs, u, uStride, &c, &next, nStride, &z)
                        case "int8": mck_lstm_rows_i8w(pq, scales, hidden, n, h, hs, u, uStride, &c, &next, nStride, &z)
                        case "int8-dynamic": mck_lstm_rows_i8d(pd, scales, hidden, n, h, hs, u, uStride, &c, &next, nStride, &z, &scratch)
                        default: mck_lstm_rows_i8d_pairs(pp, scales, hidden, n, h, hs, u, uStride, &c, &next, nStride, &z, &scratch)
                        }
                        for j in 0..<n {
                            let hj = Array(h[(j * hs)..<(j * hs + hidden)]), uj = Array(u[(j * uStride)..<(j * uStride + rows)])
                            var cj = Array(c0[(j * hidden)..<((j + 1) * hidden)]), hn = [Float](repeating: 0, count: hidden)
                            switch kind {
                            case "f32": mck_lstm_step_f32(pf, hidden, hj, uj, &cj, &hn)
                            case "int8": mck_lstm_step_i8w(pq, scales, hidden, hj, uj, &cj, &hn)
                            case "int8-dynamic": mck_lstm_step_i8d(pd, scales, hidden, hj, uj, &cj, &hn, &scratch)
                            default: mck_lstm_step_i8d_pairs(pp, scales, hidden, hj, uj, &cj, &hn, &scratch)
                            }
                            for k in 0..<hidden {
                                XCTAssertEqual(c[j * hidden + k].bitPattern, cj[k].bitPattern, "\(kind) hidden \(hidden) n \(n) row \(j) unit \(k)")
                                XCTAssertEqual(next[j * nStride + k].bitPattern, hn[k].bitPattern, "\(kind) hidden \(hidden) n \(n) row \(j) unit \(k)")
                            }
                            // Only the row's own hidden values are written.
                            for k in hidden..<nStride where j < n - 1 { XCTAssertEqual(next[j * nStride + k], -7) }
                        }
                    }
                }
            }
        }
    }

    /// Every instruction-set variant the CPU runs, forced in turn, gives the reference's bits in
    /// each check above that compares bits.
    func testEveryVariantMatchesTheReference() {
        forEachKernelVariant {
            testMatmulF32()
            testMatmulInt8WeightOnly()
            testMatmulInt8Dynamic()
            testMatmulInt8DynamicExtremes()
            testVectorActivationsEqualScalar()
            testLstmCellReference()
            testLstmStepMatchesProductAndCell()
            testLstmRowsMatchSingleSteps()
        }
    }

    /// Accuracy against glibc in Double, over the range networks use and beyond.
    func testActivationAccuracy() {
        var worstExp = 0.0, worstTanh = 0.0, worstSigmoid = 0.0
        for i in 0..<400_000 {
            let x = Float(-100 + Double(i) * 190 / 400_000)
            let e = Double(mck_expf(x)), ref = Foundation.exp(Double(x))
            if ref > 1e-37, ref < 3e38 { worstExp = max(worstExp, abs(e - ref) / (ref.ulp / 2 > 0 ? Double(Float(ref).ulp) : 1)) }
            worstTanh = max(worstTanh, abs(Double(mck_tanhf(x)) - Foundation.tanh(Double(x))))
            worstSigmoid = max(worstSigmoid, abs(Double(mck_sigmoidf(x)) - 1 / (1 + Foundation.exp(-Double(x)))))
        }
        XCTAssertLessThanOrEqual(worstExp, 2, "exp error in float ulps")
        XCTAssertLessThan(worstTanh, 2.5e-7)
        XCTAssertLessThan(worstSigmoid, 1.5e-7)
        XCTAssertEqual(mck_expf(0), 1)
        XCTAssertEqual(mck_expf(.infinity), .infinity)
        XCTAssertEqual(mck_expf(-.infinity), 0)
        XCTAssertTrue(mck_expf(.nan).isNaN && mck_tanhf(.nan).isNaN && mck_sigmoidf(.nan).isNaN)
        XCTAssertEqual(mck_tanhf(-0.0).sign, .minus)
        XCTAssertEqual(mck_tanhf(50), 1)
        XCTAssertEqual(mck_sigmoidf(-200), 0)
        XCTAssertEqual(mck_sigmoidf(200), 1)
    }
}
