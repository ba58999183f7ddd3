/// `nn.MultiheadAttention(E, heads)` with query = key = value = the input sequence, no mask.
///
/// `K, V = X·W_{k,v}ᵀ + b` for all `T·B` rows in one product; `Q` likewise for the query rows
/// (only the last step when `lastQueryOnly`). Per sample and head: `P = softmax(Q_h·K_hᵀ/√d)`,
/// `ctx_h = P·V_h`; heads are concatenated and projected by `out_proj`. Backward follows the same
/// products transposed; the softmax Jacobian is `dS = P⊙(dP − rowsum(P⊙dP))`.
final class AttentionLayer<T: NNScalar> {
    let weights: UnsafeMutablePointer<T>
    let embed: Int
    let heads: Int
    let lastQueryOnly: Bool
    private let inWeight: Int, inBias: Int, outWeight: Int, outBias: Int
    private let q = NNBuffer<T>(), kv = NNBuffer<T>(), probs = NNBuffer<T>(), ctx = NNBuffer<T>(), output = NNBuffer<T>()
    private let dctx = NNBuffer<T>(), dq = NNBuffer<T>(), dkv = NNBuffer<T>(), dprobs = NNBuffer<T>(), inputGrad = NNBuffer<T>()
    private var input: NNTensor<T>?

    init(weights: UnsafeMutablePointer<T>, layout: ParameterLayout, module: String, embed: Int, heads: Int, lastQueryOnly: Bool) {
        self.weights = weights
        self.embed = embed
        self.heads = heads
        self.lastQueryOnly = lastQueryOnly
        inWeight = layout.offset("\(module).in_proj_weight")
        inBias = layout.offset("\(module).in_proj_bias")
        outWeight = layout.offset("\(module).out_proj.weight")
        outBias = layout.offset("\(module).out_proj.bias")
    }

    private var headSize: Int { embed / heads }
    private var scale: T { 1 / T(headSize).squareRoot() }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        input = x
        let e = embed, dh = headSize, b = x.batch, steps = x.steps
        let queries = lastQueryOnly ? 1 : steps, firstQuery = steps - queries
        let qp = q.reserve(queries * b * e), kvp = kv.reserve(x.rows * 2 * e)
        let pp = probs.reserve(b * heads * queries * steps), cp = ctx.reserve(queries * b * e)
        let yp = output.reserve(queries * b * e)
        Rows.fill(qp, rows: queries * b, width: e, with: weights + inBias)
        T.gemm(false, true, queries * b, e, e, 1, x.data + firstQuery * b * e, e, weights + inWeight, e, 1, qp, e)
        Rows.fill(kvp, rows: x.rows, width: 2 * e, with: weights + inBias + e)
        T.gemm(false, true, x.rows, 2 * e, e, 1, x.data, e, weights + inWeight + e * e, e, 1, kvp, 2 * e)
        for r in 0..<b {
            for head in 0..<heads {
                let qh = qp + r * e + head * dh, kh = kvp + r * 2 * e + head * dh, vh = kh + e
                let p = pp + (r * heads + head) * queries * steps
                T.gemm(false, true, queries, steps, dh, scale, qh, b * e, kh, b * 2 * e, 0, p, steps)
                for row in 0..<queries { softmax(p + row * steps, count: steps) }
                T.gemm(false, false, queries, dh, steps, 1, p, steps, vh, b * 2 * e, 0, cp + r * e + head * dh, b * e)
            }
        }
        Rows.fill(yp, rows: queries * b, width: e, with: weights + outBias)
        T.gemm(false, true, queries * b, e, e, 1, cp, e, weights + outWeight, e, 1, yp, e)
        return NNTensor(data: yp, steps: queries, batch: b, width: e, isSequence: !lastQueryOnly)
    }

    /// In place, max subtracted, sum in ascending order.
    private func softmax(_ x: UnsafeMutablePointer<T>, count: Int) {
        var m = x[0]
        for i in 1..<count where x[i] > m { m = x[i] }
        var sum: T = 0
        for i in 0..<count {
            x[i] = T.exp(x[i] - m)
            sum += x[i]
        }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        guard let x = input else { preconditionFailure("backward before forward") }
        let e = embed, dh = headSize, b = x.batch, steps = x.steps
        let queries = lastQueryOnly ? 1 : steps, firstQuery = steps - queries
        let qp = q.pointer, kvp = kv.pointer, pp = probs.pointer, cp = ctx.pointer
        let dcp = dctx.reserve(queries * b * e), dqp = dq.reserve(queries * b * e), dkvp = dkv.reserve(x.rows * 2 * e)
        let dpp = dprobs.reserve(queries * steps)
        // out_proj
        T.gemm(true, false, e, e, queries * b, 1, dy.data, e, cp, e, 1, grads + outWeight, e)
        Rows.addColumnSums(dy.data, rows: queries * b, width: e, into: grads + outBias)
        T.gemm(false, false, queries * b, e, e, 1, dy.data, e, weights + outWeight, e, 0, dcp, e)
        // per sample and head
        for r in 0..<b {
            for head in 0..<heads {
                let qh = qp + r * e + head * dh, kh = kvp + r * 2 * e + head * dh, vh = kh + e
                let dqh = dqp + r * e + head * dh, dkh = dkvp + r * 2 * e + head * dh, dvh = dkh + e
                let dch = dcp + r * e + head * dh
                let p = pp + (r * heads + head) * queries * steps
                T.gemm(false, true, queries, steps, dh, 1, dch, b * e, vh, b * 2 * e, 0, dpp, steps)
                T.gemm(true, false, steps, dh, queries, 1, p, steps, dch, b * e, 0, dvh, b * 2 * e)
                for row in 0..<queries {
                    let pr = p + row * steps, dr = dpp + row * steps
                    var dot: T = 0
                    for k in 0..<steps { dot += pr[k] * dr[k] }
                    for k in 0..<steps { dr[k] = pr[k] * (dr[k] - dot) }
                }
                T.gemm(false, false, queries, dh, steps, scale, dpp, steps, kh, b * 2 * e, 0, dqh, b * e)
                T.gemm(true, false, steps, dh, queries, scale, dpp, steps, qh, b * e, 0, dkh, b * 2 * e)
            }
        }
        // in_proj: q rows from the query steps, k and v rows from every step
        let xq = x.data + firstQuery * b * e
        T.gemm(true, false, e, e, queries * b, 1, dqp, e, xq, e, 1, grads + inWeight, e)
        T.gemm(true, false, 2 * e, e, x.rows, 1, dkvp, 2 * e, x.data, e, 1, grads + inWeight + e * e, e)
        Rows.addColumnSums(dqp, rows: queries * b, width: e, into: grads + inBias)
        Rows.addColumnSums(dkvp, rows: x.rows, width: 2 * e, into: grads + inBias + e)
        guard inputGradient else { return nil }
        let dx = inputGrad.reserve(x.rows * e)
        T.gemm(false, false, x.rows, e, 2 * e, 1, dkvp, 2 * e, weights + inWeight + e * e, e, 0, dx, e)
        T.gemm(false, false, queries * b, e, e, 1, dqp, e, weights + inWeight, e, 1, dx + firstQuery * b * e, e)
        return NNTensor(data: dx, steps: steps, batch: b, width: e, isSequence: true)
    }
}
