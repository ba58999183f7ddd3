/// `nn.Dropout(p)` in training: each value is kept with probability 1 − p (to 2⁻³²) and scaled
/// by 1/(1 − p). The mask of a sample is drawn from its own seed and this layer's position, in
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
        // Each 64-bit draw gives two 32-bit uniforms; a value is dropped when its uniform < p·2³².
        let threshold = UInt64((probability * 4_294_967_296).rounded())
        for r in 0..<x.batch {
            var rng = NNRandom(seed: context.sampleSeeds[r], 0xD409, position)
            for t in 0..<x.steps {
                let row = m + (t * x.batch + r) * x.width
                var j = 0
                while j < x.width {
                    let bits = rng.next()
                    row[j] = bits & 0xFFFF_FFFF < threshold ? 0 : keep
                    if j + 1 < x.width { row[j + 1] = bits >> 32 < threshold ? 0 : keep }
                    j += 2
                }
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
