import Foundation
import XCTest
@testable import ModelcTraining

/// The Float fast path (SIMD σ/tanh, sgemm) against the Double path (libm, dgemm).
final class NNPrecisionTests: XCTestCase {
    func testFastActivationsAgainstLibm() {
        var x: [Float] = stride(from: -30.0, through: 30.0, by: 0.0137).map { Float($0) }
        x += [0, -0, 1e-8, -1e-8, 1e-3, 0.1249, 0.125, 0.1251, -0.125, 88, -88, 100, -100]
        var s = x, t = [Float](repeating: 0, count: x.count)
        Float.sigmoid(&s, count: x.count)
        Float.tanh(x, into: &t, count: x.count)
        var worstSigmoid = 0.0, worstTanh = 0.0, worstTanhRelative = 0.0
        for i in x.indices {
            let v = Double(x[i])
            worstSigmoid = max(worstSigmoid, abs(Double(s[i]) - 1 / (1 + exp(-v))))
            worstTanh = max(worstTanh, abs(Double(t[i]) - tanh(v)))
            if v != 0, abs(v) < 0.5 { worstTanhRelative = max(worstTanhRelative, abs(Double(t[i]) - tanh(v)) / abs(tanh(v))) }
        }
        XCTAssertLessThan(worstTanhRelative, 5e-7)
        XCTAssertLessThan(worstSigmoid, 2.5e-7)
        XCTAssertLessThan(worstTanh, 4e-7)
        XCTAssertEqual(t[x.count - 13], 0)
        XCTAssertEqual(s[x.count - 2], 1)
        XCTAssertEqual(s[x.count - 1], 0)  // σ(−100) = 3.7e−44 rounds to 0 (tanh saturates)
    }

    /// The same weights and windows through the Float and the Double network.
    func testFloatForwardAndGradientMatchDouble() throws {
        let spec = NetworkSpec.seed(inputSize: 19, sequenceLength: 32, hidden: 16, heads: 4, fcHidden: 8)
        let double = try Network<Double>(spec: spec, seed: 3)
        let single = try Network<Float>(spec: spec, seed: 3)
        for i in 0..<double.layout.count {
            single.parameters.pointer[i] = Float(double.parameters.pointer[i])
            double.parameters.pointer[i] = Double(single.parameters.pointer[i])
        }
        let batch = 6
        var rng = NNRandom(seed: 5)
        let x = (0..<(spec.sequenceLength * batch * spec.inputSize)).map { _ in Float(rng.normal() * 1.5) }
        var xs = x, xd = x.map(Double.init)
        let labels: [Int32] = [0, 1, 1, 0, 0, 1], seeds = [UInt64](repeating: 1, count: batch)
        let (ld, gd) = run(double, &xd, labels, seeds)
        let (ls, gs) = run(single, &xs, labels, seeds)
        XCTAssertEqual(ld.count, batch * 2)
        for i in ld.indices { XCTAssertEqual(Double(ls[i]), ld[i], accuracy: 2e-6) }
        var diff = 0.0, norm = 0.0
        for i in gd.indices {
            diff += (Double(gs[i]) - gd[i]) * (Double(gs[i]) - gd[i])
            norm += gd[i] * gd[i]
        }
        XCTAssertLessThan((diff / norm).squareRoot(), 1e-5)
    }

    private func run<T: NNScalar>(_ net: Network<T>, _ x: inout [T], _ labels: [Int32], _ seeds: [UInt64]) -> ([Double], [Double]) {
        let tape = net.makeTape(), batch = labels.count
        return x.withUnsafeMutableBufferPointer { xp in
            seeds.withUnsafeBufferPointer { sp in
                labels.withUnsafeBufferPointer { yp in
                    let context = ForwardContext(training: false, sampleSeeds: sp.baseAddress!)
                    let logits = net.forward(tape, input: xp.baseAddress!, batch: batch, context: context)
                    let l = (0..<(batch * net.classes)).map { Double(logits.data[$0]) }
                    _ = net.lossAndGradient(tape, input: xp.baseAddress!, labels: yp.baseAddress!, batch: batch, context: context,
                                            classWeights: [1, 3], normaliser: 12)
                    return (l, (0..<net.layout.count).map { Double(tape.gradient.pointer[$0]) })
                }
            }
        }
    }
}
