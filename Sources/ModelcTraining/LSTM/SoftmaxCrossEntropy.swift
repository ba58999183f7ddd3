/// PyTorch's `CrossEntropyLoss(weight=w)` with mean reduction: `Σ_i w_{y_i}·(−log softmax(z_i)_{y_i}) / Σ_i w_{y_i}`.
/// The normaliser `Σ w_{y_i}` runs over the whole batch, so a shard of the batch passes it in
/// and the shards' losses and gradients simply add up.
enum SoftmaxCrossEntropy {
    /// The shard's share of the loss (in Double); writes dL/dz into `gradient` when given.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func loss<T: NNScalar>(logits: UnsafePointer<T>, labels: UnsafePointer<Int32>, rows: Int, classes: Int,
                                  classWeights: [Double], normaliser: Double, gradient: UnsafeMutablePointer<T>?) -> Double {
        var total = 0.0
        for r in 0..<rows {
            let z = logits + r * classes, y = Int(labels[r]), w = classWeights[y]
            var m = z[0]
            for c in 1..<classes where z[c] > m { m = z[c] }
            var sum: T = 0
            for c in 0..<classes { sum += T.exp(z[c] - m) }
            let logSum = T.log(sum)
            total += w * Double(logSum + m - z[y])
            if let gradient {
                let g = gradient + r * classes, scale = T(w / normaliser)
                for c in 0..<classes { g[c] = scale * (T.exp(z[c] - m - logSum) - (c == y ? 1 : 0)) }
            }
        }
        return total / normaliser
    }
}
