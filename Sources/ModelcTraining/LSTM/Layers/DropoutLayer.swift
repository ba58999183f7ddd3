/// `nn.Dropout(p)` in training: each value is kept with probability 1 − p and scaled by
/// 1/(1 − p). The mask of a sample is drawn from its own seed and this layer's position, in
/// step-then-unit order, so it does not depend on the batch split. Identity in evaluation.
final class DropoutLayer<T: NNScalar> {
    let probability: Double
    let position: UInt64
    private let output = NNBuffer<T>(), mask = NNBuffer<T>(), inputGrad = NNBuffer<T>()
    private var active = false

    init(probability: Double, position: Int) {
        self.probability = probability
        self.position = UInt64(position)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        active = context.training && probability > 0
        guard active else { return x }
        let m = mask.reserve(x.count), y = output.reserve(x.count)
        let keep = T(1 / (1 - probability))
        for r in 0..<x.batch {
            var rng = NNRandom(seed: context.sampleSeeds[r], 0xD409, position)
            for t in 0..<x.steps {
                let o = (t * x.batch + r) * x.width
                for j in 0..<x.width { m[o + j] = rng.uniform() < probability ? 0 : keep }
            }
        }
        for i in 0..<x.count { y[i] = x.data[i] * m[i] }
        var result = x
        result.data = y
        return result
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        guard inputGradient else { return nil }
        guard active else { return dy }
        let dx = inputGrad.reserve(dy.count), m = mask.pointer
        for i in 0..<dy.count { dx[i] = dy.data[i] * m[i] }
        var result = dy
        result.data = dx
        return result
    }
}
