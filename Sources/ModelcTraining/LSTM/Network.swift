import ModelcRuntime

/// A sequence network over one flat parameter vector, generic in its element type so the Float
/// trainer and the Double gradient checks run the same layer code. The parameters are shared;
/// each `Tape` (one per thread) owns the layer caches and a gradient vector of its own.
final class Network<T: NNScalar>: @unchecked Sendable {
    let spec: NetworkSpec
    let layout: ParameterLayout
    let classes: Int
    let parameters: NNBuffer<T>

    init(spec: NetworkSpec, seed: UInt64) throws(ModelcError) {
        self.spec = spec
        layout = try ParameterLayout(spec)
        classes = try spec.validate()
        parameters = NNBuffer(layout.count)
        layout.initialise(parameters.pointer, seed: seed)
    }

    /// The layers and buffers of one shard of a batch.
    final class Tape: @unchecked Sendable {
        let layers: [NNLayer<T>]
        let gradient: NNBuffer<T>
        let logitGradient = NNBuffer<T>()
        init(layers: [NNLayer<T>], parameterCount: Int) {
            self.layers = layers
            gradient = NNBuffer(parameterCount)
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func makeTape() -> Tape {
        let w = parameters.pointer
        var layers: [NNLayer<T>] = []
        var width = spec.inputSize
        for (position, layer) in spec.layers.enumerated() {
            switch layer {
            case .lstm(let module, let hidden, let count, let bidirectional, let p):
                for k in 0..<count {
                    if k > 0, p > 0 { layers.append(.dropout(DropoutLayer(probability: p, position: 1000 * position + k))) }
                    layers.append(.lstm(LstmLayer(weights: w, layout: layout, module: module, index: k, inputSize: width,
                                                  hidden: hidden, bidirectional: bidirectional)))
                    width = bidirectional ? 2 * hidden : hidden
                }
            case .attention(let module, let heads, let lastQueryOnly):
                layers.append(.attention(AttentionLayer(weights: w, layout: layout, module: module, embed: width, heads: heads,
                                                        lastQueryOnly: lastQueryOnly)))
            case .dense(let module, let outputs, let bias):
                layers.append(.dense(DenseLayer(weights: w, layout: layout, module: module, inputs: width, outputs: outputs, bias: bias)))
                width = outputs
            case .activation(let f):
                layers.append(.activation(ActivationLayer(function: f)))
            case .dropout(let p):
                layers.append(.dropout(DropoutLayer(probability: p, position: 1000 * position)))
            case .pooling(let mode):
                layers.append(.pooling(PoolingLayer(mode: mode)))
            }
        }
        return Tape(layers: layers, parameterCount: layout.count)
    }

    /// Logits `[batch, classes]` of a time-major input `[T, batch, inputSize]`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ tape: Tape, input: UnsafeMutablePointer<T>, batch: Int, context: ForwardContext) -> NNTensor<T> {
        var x = NNTensor(data: input, steps: spec.sequenceLength, batch: batch, width: spec.inputSize, isSequence: true)
        for layer in tape.layers { x = layer.forward(x, context) }
        return x
    }

    /// Sets the tape's gradient to dL/dθ for the logit gradient `dLogits` of its last forward pass.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ tape: Tape, logitGradient: NNTensor<T>) {
        tape.gradient.zero(layout.count)
        var dy = logitGradient
        for (i, layer) in tape.layers.enumerated().reversed() {
            guard let dx = layer.backward(dy, grads: tape.gradient.pointer, inputGradient: i > 0) else { break }
            dy = dx
        }
    }

    /// Forward, loss and backward for one shard; returns its share of the loss.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func lossAndGradient(_ tape: Tape, input: UnsafeMutablePointer<T>, labels: UnsafePointer<Int32>, batch: Int,
                         context: ForwardContext, classWeights: [Double], normaliser: Double) -> Double {
        let logits = forward(tape, input: input, batch: batch, context: context)
        let g = tape.logitGradient.reserve(batch * classes)
        let loss = SoftmaxCrossEntropy.loss(logits: logits.data, labels: labels, rows: batch, classes: classes,
                                            classWeights: classWeights, normaliser: normaliser, gradient: g)
        backward(tape, logitGradient: NNTensor(data: g, steps: 1, batch: batch, width: classes, isSequence: false))
        return loss
    }
}
