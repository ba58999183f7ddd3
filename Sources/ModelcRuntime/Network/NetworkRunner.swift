import CModelcKernels

/// Runs a `NetworkDefinition` on one window of scaled inputs and returns its logits.
public enum NetworkRunner {
    /// `window` holds `sequenceLength × inputSize` values, oldest step first.
    public static func logits(_ net: NetworkDefinition, window: [Float]) throws(ModelcError) -> [Float] {
        let expected = net.sequenceLength * net.inputSize
        guard window.count == expected else {
            throw ModelcError(.invalidArgument, "network input has \(window.count) values, expected \(net.sequenceLength) x \(net.inputSize) = \(expected)")
        }
        var current = window
        var steps = net.sequenceLength
        var width = net.inputSize
        for layer in net.layers {
            switch layer {
            case .lstm(let l):
                var next = [Float](repeating: 0, count: steps * l.outputSize)
                current.withUnsafeBufferPointer { x in
                    next.withUnsafeMutableBufferPointer { LstmKernel.run(l, input: x.baseAddress!, steps: steps, output: $0.baseAddress!) }
                }
                current = next
                width = l.outputSize
            case .attention(let a):
                let outSteps = a.lastQueryOnly ? 1 : steps
                var next = [Float](repeating: 0, count: outSteps * width)
                current.withUnsafeBufferPointer { x in
                    next.withUnsafeMutableBufferPointer { AttentionKernel.run(a, input: x.baseAddress!, steps: steps, output: $0.baseAddress!) }
                }
                current = next
                steps = outSteps
            case .dense(let d):
                let rows = current.count / width
                var next = [Float](repeating: 0, count: rows * d.weights.rows)
                current.withUnsafeBufferPointer { x in
                    next.withUnsafeMutableBufferPointer { y in
                        if let bias = d.bias {
                            bias.withUnsafeBufferPointer { d.weights.apply(x.baseAddress!, count: rows, bias: $0.baseAddress!, into: y.baseAddress!) }
                        } else {
                            d.weights.apply(x.baseAddress!, count: rows, bias: nil, into: y.baseAddress!)
                        }
                    }
                }
                current = next
                width = d.weights.rows
            case .activation(let f):
                apply(f, to: &current, width: width)
            case .pooling(let p):
                current = pool(p, current, steps: steps, width: width)
                steps = 1
            }
        }
        return current
    }

    /// The probability of the positive class: softmax of the logits (max subtracted, sum in order).
    public static func probability(_ net: NetworkDefinition, logits: [Float]) -> Float {
        softmax(logits)[net.positiveClass]
    }

    static func apply(_ f: ActivationFunction, to x: inout [Float], width: Int) {
        switch f {
        case .relu: for i in x.indices where !(x[i] > 0) { x[i] = x[i].isNaN ? x[i] : 0 }
        case .tanh: x.withUnsafeMutableBufferPointer { mck_tanh_n($0.baseAddress!, $0.count) }
        case .sigmoid: x.withUnsafeMutableBufferPointer { mck_sigmoid_n($0.baseAddress!, $0.count) }
        case .softmax:
            for r in 0..<(x.count / width) {
                let s = softmax(Array(x[(r * width)..<((r + 1) * width)]))
                for j in 0..<width { x[r * width + j] = s[j] }
            }
        }
    }

    static func softmax(_ x: [Float]) -> [Float] {
        var m = -Float.infinity
        for v in x where v > m { m = v }
        var e = x.map { mck_expf($0 - m) }
        var sum: Float = 0
        for v in e { sum = sum + v }
        for i in e.indices { e[i] = e[i] / sum }
        return e
    }

    static func pool(_ p: PoolingMode, _ x: [Float], steps: Int, width: Int) -> [Float] {
        switch p {
        case .lastStep:
            return Array(x[((steps - 1) * width)..<(steps * width)])
        case .mean:
            var out = [Float](repeating: 0, count: width)
            for t in 0..<steps { for j in 0..<width { out[j] = out[j] + x[t * width + j] } }
            return out.map { $0 / Float(steps) }
        }
    }
}
