import CModelcKernels

/// Multi-head self-attention (PyTorch nn.MultiheadAttention, query = key = value, no mask).
///
/// Order of operations: projections by WeightMatrix.apply; per head and query, the score of key t
/// is `(Σ_d q_d·k_{t,d}) · (1/√d_head)` with d ascending; softmax subtracts the max score, sums
/// `exp` in ascending t and divides each term by that sum; the head output is `Σ_t a_t·v_{t,d}`
/// in ascending t; heads are concatenated in order, then the output projection.
enum AttentionKernel {
    /// `input` is `steps × E`. Writes `steps × E` (all queries) or `E` (last query) into `output`.
    static func run(_ a: AttentionDefinition, input: UnsafePointer<Float>, steps: Int, output: UnsafeMutablePointer<Float>) {
        let e = a.embedDim, dh = e / a.heads
        let scale = 1 / Float(dh).squareRoot()
        let keys = UnsafeMutablePointer<Float>.allocate(capacity: steps * e)
        let values = UnsafeMutablePointer<Float>.allocate(capacity: steps * e)
        let q = UnsafeMutablePointer<Float>.allocate(capacity: e)
        let mixed = UnsafeMutablePointer<Float>.allocate(capacity: e)
        let weights = UnsafeMutablePointer<Float>.allocate(capacity: steps)
        defer {
            keys.deallocate()
            values.deallocate()
            q.deallocate()
            mixed.deallocate()
            weights.deallocate()
        }
        a.keyBias.withUnsafeBufferPointer { kb in
            a.valueBias.withUnsafeBufferPointer { vb in
                a.key.apply(input, count: steps, bias: kb.baseAddress!, into: keys)
                a.value.apply(input, count: steps, bias: vb.baseAddress!, into: values)
            }
        }
        let queries = a.lastQueryOnly ? (steps - 1)..<steps : 0..<steps
        for (row, t) in queries.enumerated() {
            a.queryBias.withUnsafeBufferPointer { a.query.apply(input + t * e, bias: $0.baseAddress!, into: q) }
            for head in 0..<a.heads {
                let offset = head * dh
                var maxScore = -Float.infinity
                for k in 0..<steps {
                    var dot: Float = 0
                    for d in 0..<dh { dot = dot + q[offset + d] * keys[k * e + offset + d] }
                    weights[k] = dot * scale
                    if weights[k] > maxScore { maxScore = weights[k] }
                }
                var sum: Float = 0
                for k in 0..<steps {
                    weights[k] = mck_expf(weights[k] - maxScore)
                    sum = sum + weights[k]
                }
                for k in 0..<steps { weights[k] = weights[k] / sum }
                for d in 0..<dh {
                    var acc: Float = 0
                    for k in 0..<steps { acc = acc + weights[k] * values[k * e + offset + d] }
                    mixed[offset + d] = acc
                }
            }
            a.outputBias.withUnsafeBufferPointer { a.output.apply(mixed, bias: $0.baseAddress!, into: output + row * e) }
        }
    }
}
