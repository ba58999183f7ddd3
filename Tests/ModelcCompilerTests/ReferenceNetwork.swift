import CModelcKernels
import ModelcFormat
import ModelcRuntime

/// A plain, obviously-ordered forward pass written straight from Spec.md §4.4 and §7, reading the
/// schema's layers and row-major tensors. The runtime's kernels (blocked, transposed, vectorised)
/// must give exactly its bits.
enum ReferenceNetwork {
    static func logits(_ net: Modelc_SequenceNetwork, tensors: LoadedModel, window: [Float]) -> [Float] {
        func t(_ name: String) -> [Float] { tensors.tensor(named: name)!.floatValues() }
        var seq: [[Float]] = (0..<Int(net.sequenceLength)).map { s in
            Array(window[(s * Int(net.inputSize))..<((s + 1) * Int(net.inputSize))])
        }
        var vector: [Float]? = nil
        for layer in net.layers {
            switch layer.kind {
            case .lstm(let l):
                let h = Int(l.hiddenSize)
                let fwd = direction(seq, t(l.forward.weightIh), t(l.forward.weightHh), t(l.forward.bias), h, reverse: false)
                if l.direction == .lstmBidirectional {
                    let rev = direction(seq, t(l.reverse.weightIh), t(l.reverse.weightHh), t(l.reverse.bias), h, reverse: true)
                    seq = zip(fwd, rev).map { $0 + $1 }
                } else {
                    seq = fwd
                }
            case .attention(let a):
                let out = attention(seq, a, t)
                if a.query == .queryLastStep { vector = out.last! } else { seq = out }
            case .dense(let d):
                let w = t(d.weight), b = d.bias.isEmpty ? nil : t(d.bias)
                if let v = vector { vector = dense(v, w, b) } else { seq = seq.map { dense($0, w, b) } }
            case .activation(let f):
                let apply: (Float) -> Float = switch f {
                case .activationRelu: { $0 > 0 || $0.isNaN ? $0 : 0 }
                case .activationTanh: { mck_tanhf($0) }
                default: { mck_sigmoidf($0) }
                }
                if let v = vector { vector = v.map(apply) } else { seq = seq.map { $0.map(apply) } }
            case .pooling(let p):
                if p == .poolingLastStep {
                    vector = seq.last!
                } else {
                    var sum = [Float](repeating: 0, count: seq[0].count)
                    for row in seq { for j in sum.indices { sum[j] = sum[j] + row[j] } }
                    vector = sum.map { $0 / Float(seq.count) }
                }
            case nil:
                break
            }
        }
        return vector!
    }

    /// y[o] = (Σ_k W[o,k]·x[k], k ascending from 0) + b[o].
    static func dense(_ x: [Float], _ w: [Float], _ b: [Float]?) -> [Float] {
        let cols = x.count, rows = w.count / cols
        return (0..<rows).map { o in
            var acc: Float = 0
            for k in 0..<cols { acc = acc + w[o * cols + k] * x[k] }
            return b.map { acc + $0[o] } ?? acc
        }
    }

    static func direction(_ xs: [[Float]], _ wih: [Float], _ whh: [Float], _ bias: [Float], _ h: Int, reverse: Bool) -> [[Float]] {
        var hidden = [Float](repeating: 0, count: h), cell = hidden
        var out = [[Float]](repeating: [], count: xs.count)
        for s in 0..<xs.count {
            let t = reverse ? xs.count - 1 - s : s
            let u = dense(xs[t], wih, bias), r = dense(hidden, whh, nil)
            let z = zip(u, r).map { $0 + $1 }
            // The cell kernel itself is checked against its written-out form in KernelReferenceTests.
            var next = hidden
            mck_lstm_cell(z, &cell, &next, h)
            hidden = next
            out[t] = hidden
        }
        return out
    }

    /// Spec.md §7.2's attention order: the query against each head's key rows (`u`), scores
    /// `x_t·u`, softmax, `z = Σ_t a_t·x_t`, the head's value rows applied to z.
    static func attention(_ xs: [[Float]], _ a: Modelc_AttentionLayer, _ t: (String) -> [Float]) -> [[Float]] {
        let e = Int(a.embedDim), heads = Int(a.numHeads), dh = e / heads
        let w = t(a.inProjWeight), b = t(a.inProjBias)
        let (wq, wk, wv) = (Array(w[0..<(e * e)]), Array(w[(e * e)..<(2 * e * e)]), Array(w[(2 * e * e)...]))
        let (bq, bv) = (Array(b[0..<e]), Array(b[(2 * e)...]))
        let scale = 1 / Float(dh).squareRoot()
        let queries = a.query == .queryLastStep ? [xs.count - 1] : Array(xs.indices)
        return queries.map { qi in
            let q = dense(xs[qi], wq, bq)
            var mixed = [Float](repeating: 0, count: e)
            for head in 0..<heads {
                let off = head * dh
                let u = (0..<e).map { i -> Float in
                    var acc: Float = 0
                    for d in 0..<dh { acc = acc + wk[(off + d) * e + i] * q[off + d] }
                    return acc
                }
                var scores = xs.map { x -> Float in
                    var dot: Float = 0
                    for i in 0..<e { dot = dot + x[i] * u[i] }
                    return dot * scale
                }
                let m = scores.max()!
                var sum: Float = 0
                for i in scores.indices {
                    scores[i] = mck_expf(scores[i] - m)
                    sum = sum + scores[i]
                }
                for i in scores.indices { scores[i] = scores[i] / sum }
                let z = (0..<e).map { i -> Float in
                    var acc: Float = 0
                    for s in xs.indices { acc = acc + xs[s][i] * scores[s] }
                    return acc
                }
                let headOut = dense(z, Array(wv[(off * e)..<((off + dh) * e)]), Array(bv[off..<(off + dh)]))
                for d in 0..<dh { mixed[off + d] = headOut[d] }
            }
            return dense(mixed, t(a.outProjWeight), t(a.outProjBias))
        }
    }
}
