/// `nn.Linear`: `y = x·Wᵀ + b` over every row (each step of a sequence, or each sample).
final class DenseLayer<T: NNScalar> {
    let weights: UnsafeMutablePointer<T>
    let inputs: Int
    let outputs: Int
    private let weight: Int, bias: Int?
    private let output = NNBuffer<T>(), inputGrad = NNBuffer<T>()
    private var input: NNTensor<T>?

    init(weights: UnsafeMutablePointer<T>, layout: ParameterLayout, module: String, inputs: Int, outputs: Int, bias: Bool) {
        self.weights = weights
        self.inputs = inputs
        self.outputs = outputs
        weight = layout.offset("\(module).weight")
        self.bias = bias ? layout.offset("\(module).bias") : nil
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        input = x
        let y = output.reserve(x.rows * outputs)
        if let bias { Rows.fill(y, rows: x.rows, width: outputs, with: weights + bias) }
        T.gemm(false, true, x.rows, outputs, inputs, 1, x.data, inputs, weights + weight, inputs, bias == nil ? 0 : 1, y, outputs)
        return NNTensor(data: y, steps: x.steps, batch: x.batch, width: outputs, isSequence: x.isSequence)
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        guard let x = input else { preconditionFailure("backward before forward") }
        T.gemm(true, false, outputs, inputs, x.rows, 1, dy.data, outputs, x.data, inputs, 1, grads + weight, inputs)
        if let bias { Rows.addColumnSums(dy.data, rows: x.rows, width: outputs, into: grads + bias) }
        guard inputGradient else { return nil }
        let dx = inputGrad.reserve(x.rows * inputs)
        T.gemm(false, false, x.rows, inputs, outputs, 1, dy.data, outputs, weights + weight, inputs, 0, dx, inputs)
        return NNTensor(data: dx, steps: x.steps, batch: x.batch, width: inputs, isSequence: x.isSequence)
    }
}
