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
/// backward pass adds parameter gradients into the shard's gradient vector and returns the
/// gradient with respect to its input.
class NNLayer<T: NNScalar> {
    /// The network's flat parameter vector (`ParameterLayout` offsets).
    let weights: UnsafeMutablePointer<T>

    init(weights: UnsafeMutablePointer<T>) { self.weights = weights }

    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> { fatalError("abstract") }

    /// `grads` is the shard's gradient vector (same offsets as `weights`); returns dL/dx, or nil
    /// when `inputGradient` is false (the network input needs none).
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? { fatalError("abstract") }
}

/// Row-wise helpers shared by the layers.
enum Rows {
    /// Every one of `rows` rows of `y` (stride `width`) set to `bias`.
    @inline(__always)
    static func fill<T: NNScalar>(_ y: UnsafeMutablePointer<T>, rows: Int, width: Int, with bias: UnsafePointer<T>) {
        for r in 0..<rows { (y + r * width).update(from: bias, count: width) }
    }

    /// `sums[j] += Σ_r x[r·width + j]`, rows in ascending order.
    @inline(__always)
    static func addColumnSums<T: NNScalar>(_ x: UnsafePointer<T>, rows: Int, width: Int, into sums: UnsafeMutablePointer<T>) {
        for r in 0..<rows {
            let row = x + r * width
            for j in 0..<width { sums[j] += row[j] }
        }
    }
}
