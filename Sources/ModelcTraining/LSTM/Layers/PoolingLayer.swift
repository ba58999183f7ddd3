/// Sequence → vector: the last step (PyTorch's `a[:, -1, :]`) or the mean over steps.
final class PoolingLayer<T: NNScalar> {
    let mode: NetworkSpec.Pooling
    private let output = NNBuffer<T>(), inputGrad = NNBuffer<T>()
    private var input: NNTensor<T>?

    init(mode: NetworkSpec.Pooling) {
        self.mode = mode
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        input = x
        let n = x.batch * x.width
        var result = NNTensor(data: x.data + (x.steps - 1) * n, steps: 1, batch: x.batch, width: x.width, isSequence: false)
        if mode == .mean {
            let y = output.reserve(n)
            y.update(repeating: 0, count: n)
            for t in 0..<x.steps { for i in 0..<n { y[i] += x.data[t * n + i] } }
            let inverse = 1 / T(x.steps)
            for i in 0..<n { y[i] *= inverse }
            result.data = y
        }
        return result
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        guard inputGradient, let x = input else { return nil }
        let n = x.batch * x.width, dx = inputGrad.reserve(x.count)
        switch mode {
        case .lastStep:
            dx.update(repeating: 0, count: x.count - n)
            (dx + (x.steps - 1) * n).update(from: dy.data, count: n)
        case .mean:
            let inverse = 1 / T(x.steps)
            for t in 0..<x.steps { for i in 0..<n { dx[t * n + i] = dy.data[i] * inverse } }
        }
        var result = x
        result.data = dx
        return result
    }
}
