import CModelcKernels

/// Multi-head self-attention (PyTorch nn.MultiheadAttention, query = key = value, no mask),
/// computed without projecting every step into keys and values (Spec.md §7.2, "Attention").
///
/// For a query q and head j, the score of step t is `q_j·(W_k,j x_t + b_k,j)`: the same as
/// `(W_k,jᵀ q_j)·x_t` plus a constant the softmax removes; the head's output `Σ_t a_t·v_t` is
/// `W_v,j (Σ_t a_t x_t) + b_v,j` because the weights sum to 1. So each query costs two `E × E`
/// products instead of `2·T` of them, and the pruned last-query network is fast.
///
/// Order of operations: `u = keyTransposed_j · (q_j ⊙ keyScale_j)` by WeightMatrix.apply; the
/// score of step t is `(Σ_i x_{t,i}·u_i) · (1/√d_head)` with i ascending; softmax subtracts the
/// max score, sums `exp` in ascending t and divides each term by that sum; `z_i = Σ_t a_t·x_{t,i}`
/// in ascending t; the head output is `valueHeads_j · z + b_v,j`; heads are concatenated in
/// order, then the output projection. A query's output does not depend on which other queries
/// are computed, so pruning to the last query changes no bit.
enum AttentionKernel {
    /// `input` is `steps × E`. Writes `steps × E` (all queries) or `E` (last query) into `output`;
    /// its scratch is taken from `arena` and given back.
    static func run(_ a: AttentionDefinition, input: UnsafePointer<Float>, steps: Int, output: UnsafeMutablePointer<Float>,
                    arena: ScratchArena) {
        let e = a.embedDim, heads = a.heads, dh = e / heads
        let first = a.lastQueryOnly ? steps - 1 : 0
        let queries = steps - first
        let pairs = heads * queries  // (head, query) rows, head-major
        let scale = 1 / Float(dh).squareRoot()

        // One scratch block per call, cut into the arrays below.
        let mark = arena.mark
        defer { arena.release(to: mark) }
        let block = arena.take(Float.self, 2 * queries * e + queries * dh + 2 * pairs * e + pairs * steps + mck_packed_count(steps, e))
        let q = block, mixed = q + queries * e, headQuery = mixed + queries * e
        let u = headQuery + queries * dh, z = u + pairs * e, scores = z + pairs * e, packed = scores + pairs * steps

        a.queryBias.withUnsafeBufferPointer { a.query.apply(input + first * e, count: queries, bias: $0.baseAddress!, into: q, arena: arena) }
        for h in 0..<heads {
            for r in 0..<queries {
                for d in 0..<dh { headQuery[r * dh + d] = q[r * e + h * dh + d] * a.keyScale[h * dh + d] }
            }
            a.keyTransposed[h].apply(headQuery, count: queries, bias: nil, into: u + h * queries * e, arena: arena)
        }
        // Every step against every u at once: the input packed as a steps × E weight matrix.
        mck_pack_f32(input, steps, e, packed)
        mck_matmul_f32(packed, steps, e, u, pairs, nil, scores)
        for p in 0..<pairs { softmax(scores + p * steps, count: steps, scale: scale) }
        // z = the weighted sum of the steps, each z_i summed over t ascending (vectorised over i).
        for p in 0..<pairs {
            let zp = z + p * e
            zp.initialize(repeating: 0, count: e)
            for t in 0..<steps {
                let a = scores[p * steps + t], xt = input + t * e
                for i in 0..<e { zp[i] = zp[i] + a * xt[i] }
            }
        }
        a.valueBias.withUnsafeBufferPointer { vb in
            for h in 0..<heads {
                // The head's outputs go to `headQuery` (free again), then into their columns.
                a.valueHeads[h].apply(z + h * queries * e, count: queries, bias: vb.baseAddress! + h * dh, into: headQuery, arena: arena)
                for r in 0..<queries {
                    for d in 0..<dh { mixed[r * e + h * dh + d] = headQuery[r * dh + d] }
                }
            }
        }
        a.outputBias.withUnsafeBufferPointer { a.output.apply(mixed, count: queries, bias: $0.baseAddress!, into: output, arena: arena) }
    }

    /// `x[t] ← exp(x[t]·scale − max) / Σ` over `count` scores, the sum in ascending t.
    private static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
        var maxScore = -Float.infinity
        for t in 0..<count {
            x[t] = x[t] * scale
            if x[t] > maxScore { maxScore = x[t] }
        }
        var sum: Float = 0
        for t in 0..<count {
            x[t] = mck_expf(x[t] - maxScore)
            sum = sum + x[t]
        }
        for t in 0..<count { x[t] = x[t] / sum }
    }
}
