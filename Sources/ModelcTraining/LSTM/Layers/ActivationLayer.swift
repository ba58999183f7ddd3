/// ReLU, tanh, σ, or softmax over the last axis; backward uses the saved output.
final class ActivationLayer<T: NNScalar> {
    let function: NetworkSpec.Activation
    private let output = NNBuffer<T>(), inputGrad = NNBuffer<T>()
    private var shape: NNTensor<T>?

    init(function: NetworkSpec.Activation) {
        self.function = function
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        let n = x.count, y = output.reserve(n)
        switch function {
        case .relu: for i in 0..<n { y[i] = x.data[i] > 0 ? x.data[i] : 0 }
        case .tanh: T.tanh(x.data, into: y, count: n)
        case .sigmoid:
            y.update(from: x.data, count: n)
            T.sigmoid(y, count: n)
        case .softmax:
            for r in 0..<x.rows {
                let xr = x.data + r * x.width, yr = y + r * x.width
                var m = xr[0]
                for j in 1..<x.width where xr[j] > m { m = xr[j] }
                var sum: T = 0
                for j in 0..<x.width {
                    yr[j] = T.exp(xr[j] - m)
                    sum += yr[j]
                }
                for j in 0..<x.width { yr[j] /= sum }
            }
        }
        var result = x
        result.data = y
        shape = result
        return result
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        guard inputGradient, let yt = shape else { return nil }
        let n = yt.count, y = yt.data, g = dy.data, dx = inputGrad.reserve(n)
        switch function {
        case .relu: for i in 0..<n { dx[i] = y[i] > 0 ? g[i] : 0 }
        case .tanh: for i in 0..<n { dx[i] = g[i] * (1 - y[i] * y[i]) }
        case .sigmoid: for i in 0..<n { dx[i] = g[i] * (y[i] * (1 - y[i])) }
        case .softmax:
            for r in 0..<yt.rows {
                let o = r * yt.width
                var dot: T = 0
                for j in 0..<yt.width { dot += y[o + j] * g[o + j] }
                for j in 0..<yt.width { dx[o + j] = y[o + j] * (g[o + j] - dot) }
            }
        }
        var result = yt
        result.data = dx
        return result
    }
}
