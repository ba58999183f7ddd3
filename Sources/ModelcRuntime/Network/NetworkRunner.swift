import CModelcKernels

/// Runs a `NetworkDefinition` on one window of scaled inputs and returns its logits.
public enum NetworkRunner {
    /// `window` holds `sequenceLength × inputSize` values, oldest step first.
    public static func logits(_ net: NetworkDefinition, window: [Float]) throws(ModelcError) -> [Float] {
        let expected = net.sequenceLength * net.inputSize
        guard window.count == expected else {
            throw ModelcError(.invalidArgument, "network input has \(window.count) values, expected \(net.sequenceLength) x \(net.inputSize) = \(expected)")
        }
        let arena = ScratchArena()
        defer { arena.reset() }
        return window.withUnsafeBufferPointer { Array(logits(net, window: $0.baseAddress!, arena: arena)) }
    }

    /// The logits of `windows` windows of `sequenceLength × inputSize` values each, one after
    /// another, in memory taken from `arena` (as every layer's output and the kernels' scratch
    /// are): `windows × outputSize` values. Each window's bits are those it has alone: layers run
    /// on every window's rows at once where each row's sum is independent of the others
    /// (products, LSTM steps), window by window elsewhere (attention, pooling).
    static func logits(_ net: NetworkDefinition, window: UnsafePointer<Float>, windows: Int = 1,
                       arena: ScratchArena) -> UnsafeMutableBufferPointer<Float> {
        var current = window
        var steps = net.sequenceLength
        var width = net.inputSize
        for layer in net.layers {
            let count = windows * steps * width
            switch layer {
            case .lstm(let l):
                let next = arena.take(Float.self, windows * steps * l.outputSize)
                LstmKernel.run(l, input: current, windows: windows, steps: steps, output: next, arena: arena)
                current = UnsafePointer(next)
                width = l.outputSize
            case .attention(let a):
                let outSteps = a.lastQueryOnly ? 1 : steps
                let next = arena.take(Float.self, windows * outSteps * width)
                for j in 0..<windows {
                    AttentionKernel.run(a, input: current + j * steps * width, steps: steps, output: next + j * outSteps * width,
                                        arena: arena)
                }
                current = UnsafePointer(next)
                steps = outSteps
            case .dense(let d):
                let rows = count / width
                let next = arena.take(Float.self, rows * d.weights.rows)
                if let bias = d.bias {
                    bias.withUnsafeBufferPointer { d.weights.apply(current, count: rows, bias: $0.baseAddress!, into: next, arena: arena) }
                } else {
                    d.weights.apply(current, count: rows, bias: nil, into: next, arena: arena)
                }
                current = UnsafePointer(next)
                width = d.weights.rows
            case .activation(let f):
                // In place, on a copy: `current` may be the caller's window.
                let next = arena.take(Float.self, count)
                next.update(from: current, count: count)
                apply(f, to: next, count: count, width: width)
                current = UnsafePointer(next)
            case .pooling(let p):
                let next = arena.take(Float.self, windows * width)
                for j in 0..<windows { pool(p, current + j * steps * width, steps: steps, width: width, into: next + j * width) }
                current = UnsafePointer(next)
                steps = 1
            }
        }
        return UnsafeMutableBufferPointer(start: UnsafeMutablePointer(mutating: current), count: windows * steps * width)
    }

    /// The probability of the positive class: softmax of the logits (max subtracted, sum in
    /// order), computed over the logits in place.
    static func probability(_ net: NetworkDefinition, logits: UnsafeMutableBufferPointer<Float>) -> Float {
        softmax(logits.baseAddress!, count: logits.count)
        return logits[net.positiveClass]
    }

    static func apply(_ f: ActivationFunction, to x: UnsafeMutablePointer<Float>, count: Int, width: Int) {
        switch f {
        case .relu: for i in 0..<count where !(x[i] > 0) { x[i] = x[i].isNaN ? x[i] : 0 }
        case .tanh: mck_tanh_n(x, count)
        case .sigmoid: mck_sigmoid_n(x, count)
        case .softmax: for r in 0..<(count / width) { softmax(x + r * width, count: width) }
        }
    }

    /// `x[i] ← exp(x[i] − max) / Σ`, the sum in ascending i.
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var m = -Float.infinity
        for i in 0..<count where x[i] > m { m = x[i] }
        var sum: Float = 0
        for i in 0..<count {
            x[i] = mck_expf(x[i] - m)
            sum = sum + x[i]
        }
        for i in 0..<count { x[i] = x[i] / sum }
    }

    /// The last step's row, or the mean of every step's (summed in ascending step).
    static func pool(_ p: PoolingMode, _ x: UnsafePointer<Float>, steps: Int, width: Int, into out: UnsafeMutablePointer<Float>) {
        switch p {
        case .lastStep:
            out.update(from: x + (steps - 1) * width, count: width)
        case .mean:
            out.initialize(repeating: 0, count: width)
            for t in 0..<steps { for j in 0..<width { out[j] = out[j] + x[t * width + j] } }
            for j in 0..<width { out[j] = out[j] / Float(steps) }
        }
    }
}
