/// A batch of activations, time-major: step `t`, sample `b`, unit `j` at `(t·batch + b)·width + j`.
/// A vector (after pooling or last-query attention) has one step. Time-major keeps each step's
/// rows contiguous, so the recurrent products and the weight gradients over all steps are plain
/// matrix products.
struct NNTensor<T: NNScalar> {
    var data: UnsafeMutablePointer<T>
    var steps: Int
    var batch: Int
    var width: Int
    var isSequence: Bool

    var rows: Int { steps * batch }
    var count: Int { rows * width }
}

/// What a forward pass needs besides its input.
struct ForwardContext {
    /// Dropout is on, and its masks are drawn.
    var training: Bool
    /// One seed per sample: a dropout mask depends only on (sample seed, layer), never on how
    /// the batch was split across threads.
    var sampleSeeds: UnsafePointer<UInt64>
}

/// One layer of one shard: its forward pass keeps what its backward pass needs, and its
/// backward pass adds parameter gradients into the shard's gradient vector (`grads`, the same
/// offsets as the weights) and returns dL/dx, or nil when `inputGradient` is false (the network
/// input needs none). An enum of final classes, not a class hierarchy: methods of generic
/// classes reached through a vtable run unspecialised, which costs the Float path 4×.
enum NNLayer<T: NNScalar> {
    case lstm(LstmLayer<T>)
    case attention(AttentionLayer<T>)
    case dense(DenseLayer<T>)
    case activation(ActivationLayer<T>)
    case dropout(DropoutLayer<T>)
    case pooling(PoolingLayer<T>)

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        switch self {
        case .lstm(let l): return l.forward(x, context)
        case .attention(let l): return l.forward(x, context)
        case .dense(let l): return l.forward(x, context)
        case .activation(let l): return l.forward(x, context)
        case .dropout(let l): return l.forward(x, context)
        case .pooling(let l): return l.forward(x, context)
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        switch self {
        case .lstm(let l): return l.backward(dy, grads: grads, inputGradient: inputGradient)
        case .attention(let l): return l.backward(dy, grads: grads, inputGradient: inputGradient)
        case .dense(let l): return l.backward(dy, grads: grads, inputGradient: inputGradient)
        case .activation(let l): return l.backward(dy, grads: grads, inputGradient: inputGradient)
        case .dropout(let l): return l.backward(dy, grads: grads, inputGradient: inputGradient)
        case .pooling(let l): return l.backward(dy, grads: grads, inputGradient: inputGradient)
        }
    }
}

/// Row-wise helpers shared by the layers.
enum Rows {
    /// Every one of `rows` rows of `y` (stride `width`) set to `bias`.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func fill<T: NNScalar>(_ y: UnsafeMutablePointer<T>, rows: Int, width: Int, with bias: UnsafePointer<T>) {
        for r in 0..<rows { (y + r * width).update(from: bias, count: width) }
    }

    /// `sums[j] += Σ_r x[r·width + j]`, rows in ascending order.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func addColumnSums<T: NNScalar>(_ x: UnsafePointer<T>, rows: Int, width: Int, into sums: UnsafeMutablePointer<T>) {
        for r in 0..<rows {
            let row = x + r * width
            for j in 0..<width { sums[j] += row[j] }
        }
    }
}
