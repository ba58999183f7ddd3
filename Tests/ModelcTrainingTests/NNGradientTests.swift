import XCTest
@testable import ModelcTraining

/// Every layer's backward pass against central finite differences of the loss, in Double, with
/// the same layer code the Float trainer runs (dropout on, with fixed masks).
final class NNGradientTests: XCTestCase {
    /// Checks dL/dθ for every parameter of `spec` on a random batch.
    private func check(_ spec: NetworkSpec, batch: Int = 3, classWeights: [Double]? = nil, training: Bool = true,
                       file: StaticString = #filePath, line: UInt = #line) throws {
        let net = try Network<Double>(spec: spec, seed: 7)
        let tape = net.makeTape()
        var rng = NNRandom(seed: 11)
        var input = (0..<(spec.sequenceLength * batch * spec.inputSize)).map { _ in rng.normal() }
        let labels = (0..<batch).map { Int32($0 % net.classes) }
        let weights = classWeights ?? [Double](repeating: 1, count: net.classes)
        let normaliser = labels.reduce(0) { $0 + weights[Int($1)] }
        let seeds: [UInt64] = (0..<batch).map { UInt64($0) &* 0x5851_F42D + 99 }
        func loss(gradient: Bool) -> Double {
            input.withUnsafeMutableBufferPointer { x in
                seeds.withUnsafeBufferPointer { s in
                    labels.withUnsafeBufferPointer { y in
                        let context = ForwardContext(training: training, sampleSeeds: s.baseAddress!)
                        if gradient {
                            return net.lossAndGradient(tape, input: x.baseAddress!, labels: y.baseAddress!, batch: batch, context: context,
                                                       classWeights: weights, normaliser: normaliser)
                        }
                        let logits = net.forward(tape, input: x.baseAddress!, batch: batch, context: context)
                        return SoftmaxCrossEntropy.loss(logits: logits.data, labels: y.baseAddress!, rows: batch, classes: net.classes,
                                                        classWeights: weights, normaliser: normaliser, gradient: nil)
                    }
                }
            }
        }
        _ = loss(gradient: true)
        let analytic = Array(UnsafeBufferPointer(start: tape.gradient.pointer, count: net.layout.count))
        let p = net.parameters.pointer
        let h = 1e-6
        var worst = 0.0, worstName = ""
        for entry in net.layout.entries {
            for i in 0..<entry.count {
                let k = entry.offset + i, saved = p[k]
                p[k] = saved + h
                let up = loss(gradient: false)
                p[k] = saved - h
                let down = loss(gradient: false)
                p[k] = saved
                let numeric = (up - down) / (2 * h)
                // Central differences in Double are good to a few 1e-10 absolute here.
                let error = abs(numeric - analytic[k]) / (1e-6 * (abs(numeric) + abs(analytic[k])) + 1e-9)
                if error > worst { (worst, worstName) = (error, "\(entry.name)[\(i)]: analytic \(analytic[k]) numeric \(numeric)") }
            }
        }
        XCTAssertLessThan(worst, 1, "worst parameter \(worstName)", file: file, line: line)
        XCTAssertGreaterThan(analytic.map(abs).max() ?? 0, 1e-4, "gradients are all ~0: the check would be vacuous", file: file, line: line)
    }

    func testDenseAndActivations() throws {
        try check(NetworkSpec(inputSize: 3, sequenceLength: 2, layers: [
            .pooling(.mean), .dense(module: "a", outputs: 5, bias: true), .activation(.tanh),
            .dense(module: "b", outputs: 4, bias: false), .activation(.sigmoid), .dropout(0.4),
            .dense(module: "c", outputs: 4, bias: true), .activation(.relu),
            .dense(module: "d", outputs: 3, bias: true), .activation(.softmax),
            .dense(module: "e", outputs: 3, bias: true),
        ]), batch: 4, classWeights: [0.5, 2, 1.25])
    }

    func testDensePerStepThenLastStep() throws {
        try check(NetworkSpec(inputSize: 2, sequenceLength: 3, layers: [
            .dense(module: "in", outputs: 3, bias: true), .activation(.tanh), .pooling(.lastStep),
            .dense(module: "out", outputs: 2, bias: true),
        ]))
    }

    func testUnidirectionalLstm() throws {
        try check(NetworkSpec(inputSize: 3, sequenceLength: 4, layers: [
            .lstm(module: "lstm", hiddenSize: 3, numLayers: 1, bidirectional: false, dropout: 0),
            .pooling(.lastStep), .dense(module: "fc", outputs: 2, bias: true),
        ]))
    }

    func testStackedBidirectionalLstmWithDropout() throws {
        try check(NetworkSpec(inputSize: 2, sequenceLength: 4, layers: [
            .lstm(module: "lstm", hiddenSize: 3, numLayers: 2, bidirectional: true, dropout: 0.3),
            .pooling(.mean), .dense(module: "fc", outputs: 2, bias: true),
        ]), classWeights: [0.7, 1.9])
    }

    func testAttentionAllQueries() throws {
        try check(NetworkSpec(inputSize: 4, sequenceLength: 3, layers: [
            .attention(module: "attention", heads: 2, lastQueryOnly: false), .pooling(.mean),
            .dense(module: "fc", outputs: 2, bias: true),
        ]))
    }

    func testAttentionLastQuery() throws {
        try check(NetworkSpec(inputSize: 6, sequenceLength: 4, layers: [
            .dense(module: "embed", outputs: 6, bias: true),
            .attention(module: "attention", heads: 3, lastQueryOnly: true), .dense(module: "fc", outputs: 2, bias: true),
        ]))
    }

    /// The seed architecture in miniature: BiLSTM 2 × 3 with dropout, attention, head with dropout.
    func testSeedShapedNetwork() throws {
        try check(NetworkSpec.seed(inputSize: 3, sequenceLength: 5, hidden: 2, heads: 2, fcHidden: 3, dropout: 0.25),
                  batch: 4, classWeights: [0.6, 2.5])
    }

    /// Dropout off (evaluation): the gradient of the deterministic network.
    func testSeedShapedNetworkWithoutDropout() throws {
        try check(NetworkSpec.seed(inputSize: 3, sequenceLength: 5, hidden: 2, heads: 2, fcHidden: 3, dropout: 0.25),
                  training: false)
    }
}
