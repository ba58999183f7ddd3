/// One layer of `nn.LSTM` (index `k` of the stack), one or two directions, h₀ = c₀ = 0.
///
/// Forward, per direction: the input projection of every step of the batch is one product
/// `Z = X·W_ihᵀ + b_ih + b_hh` (`T·B × 4H`); then per step `Z_t += h_{t∓1}·W_hhᵀ` (one `B × 4H`
/// product), gates `i, f, o = σ`, `g = tanh`, `c_t = f⊙c_{t∓1} + i⊙g`, `h_t = o⊙tanh(c_t)`.
/// The gate buffer keeps the activations; backward overwrites it with dL/dZ step by step
/// (BPTT), after which all weight gradients are again single products over every step.
final class LstmLayer<T: NNScalar> {
    let weights: UnsafeMutablePointer<T>
    struct Direction {
        var inputWeights: Int, recurrentWeights: Int, inputBias: Int, recurrentBias: Int
        var reverse: Bool
    }

    let inputSize: Int
    let hidden: Int
    let directions: [Direction]
    private let gates: [NNBuffer<T>]      // [T·B, 4H] per direction
    private let cells: [NNBuffer<T>]      // [T·B, H] c_t
    private let tanhCells: [NNBuffer<T>]  // [T·B, H] tanh(c_t)
    private let output = NNBuffer<T>()    // [T·B, D·H]
    private let inputGrad = NNBuffer<T>() // [T·B, in]
    private let dh = NNBuffer<T>(), dc = NNBuffer<T>(), scratch = NNBuffer<T>()
    private let zeros: NNBuffer<T>        // c₋₁ = 0, read by the first step's backward
    private var input: NNTensor<T>?

    init(weights: UnsafeMutablePointer<T>, layout: ParameterLayout, module: String, index k: Int,
         inputSize: Int, hidden: Int, bidirectional: Bool) {
        self.weights = weights
        self.inputSize = inputSize
        self.hidden = hidden
        directions = (bidirectional ? ["", "_reverse"] : [""]).map { suffix in
            Direction(inputWeights: layout.offset("\(module).weight_ih_l\(k)\(suffix)"),
                      recurrentWeights: layout.offset("\(module).weight_hh_l\(k)\(suffix)"),
                      inputBias: layout.offset("\(module).bias_ih_l\(k)\(suffix)"),
                      recurrentBias: layout.offset("\(module).bias_hh_l\(k)\(suffix)"),
                      reverse: !suffix.isEmpty)
        }
        gates = directions.map { _ in NNBuffer() }
        cells = directions.map { _ in NNBuffer() }
        tanhCells = directions.map { _ in NNBuffer() }
        zeros = NNBuffer(hidden)
    }

    private var width: Int { directions.count * hidden }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func forward(_ x: NNTensor<T>, _ context: ForwardContext) -> NNTensor<T> {
        input = x
        let y = output.reserve(x.rows * width)
        for (d, dir) in directions.enumerated() {
            forward(dir, x: x, gates: gates[d].reserve(x.rows * 4 * hidden), cells: cells[d].reserve(x.rows * hidden),
                    tanhCells: tanhCells[d].reserve(x.rows * hidden), y: y + d * hidden)
        }
        return NNTensor(data: y, steps: x.steps, batch: x.batch, width: width, isSequence: true)
    }

    private func forward(_ dir: Direction, x: NNTensor<T>, gates z: UnsafeMutablePointer<T>, cells c: UnsafeMutablePointer<T>,
                         tanhCells tc: UnsafeMutablePointer<T>, y: UnsafeMutablePointer<T>) {
        let h = hidden, g4 = 4 * hidden, b = x.batch, steps = x.steps, ldy = width
        let bias = scratch.reserve(g4)
        for j in 0..<g4 { bias[j] = weights[dir.inputBias + j] + weights[dir.recurrentBias + j] }
        Rows.fill(z, rows: x.rows, width: g4, with: bias)
        T.gemm(false, true, x.rows, g4, inputSize, 1, x.data, inputSize, weights + dir.inputWeights, inputSize, 1, z, g4)
        for s in 0..<steps {
            let t = dir.reverse ? steps - 1 - s : s, previous = dir.reverse ? t + 1 : t - 1
            let zt = z + t * b * g4, ct = c + t * b * h, yt = y + t * b * ldy
            if s > 0 {
                T.gemm(false, true, b, g4, h, 1, y + previous * b * ldy, ldy, weights + dir.recurrentWeights, h, 1, zt, g4)
            }
            for r in 0..<b {
                let row = zt + r * g4
                T.sigmoid(row, count: 2 * h)
                T.tanh(row + 2 * h, into: row + 2 * h, count: h)
                T.sigmoid(row + 3 * h, count: h)
            }
            if s > 0 {
                let cp = c + previous * b * h
                for r in 0..<b {
                    let row = zt + r * g4, cr = ct + r * h, cpr = cp + r * h
                    for j in 0..<h { cr[j] = row[h + j] * cpr[j] + row[j] * row[2 * h + j] }
                }
            } else {
                for r in 0..<b {
                    let row = zt + r * g4, cr = ct + r * h
                    for j in 0..<h { cr[j] = row[j] * row[2 * h + j] }
                }
            }
            T.tanh(ct, into: tc + t * b * h, count: b * h)
            for r in 0..<b {
                let row = zt + r * g4, tcr = tc + (t * b + r) * h, yr = yt + r * ldy
                for j in 0..<h { yr[j] = row[3 * h + j] * tcr[j] }
            }
        }
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func backward(_ dy: NNTensor<T>, grads: UnsafeMutablePointer<T>, inputGradient: Bool) -> NNTensor<T>? {
        guard let x = input else { preconditionFailure("backward before forward") }
        let dx = inputGradient ? inputGrad.reserve(x.rows * inputSize) : nil
        for (d, dir) in directions.enumerated() {
            backward(dir, x: x, dy: dy.data + d * hidden, gates: gates[d].pointer, cells: cells[d].pointer,
                     tanhCells: tanhCells[d].pointer, y: output.pointer + d * hidden, grads: grads,
                     dx: dx, accumulate: d > 0)
        }
        return dx.map { NNTensor(data: $0, steps: x.steps, batch: x.batch, width: inputSize, isSequence: true) }
    }

    private func backward(_ dir: Direction, x: NNTensor<T>, dy: UnsafePointer<T>, gates z: UnsafeMutablePointer<T>,
                          cells c: UnsafePointer<T>, tanhCells tc: UnsafePointer<T>, y: UnsafePointer<T>,
                          grads: UnsafeMutablePointer<T>, dx: UnsafeMutablePointer<T>?, accumulate: Bool) {
        let h = hidden, g4 = 4 * hidden, b = x.batch, steps = x.steps, ldy = width
        let dhr = dh.reserve(b * h), dcr = dc.reserve(b * h)
        dh.zero(b * h)
        dc.zero(b * h)
        for s in stride(from: steps - 1, through: 0, by: -1) {
            let t = dir.reverse ? steps - 1 - s : s, previous = dir.reverse ? t + 1 : t - 1
            let zt = z + t * b * g4
            for r in 0..<b {
                let row = zt + r * g4, dyr = dy + (t * b + r) * ldy, tcr = tc + (t * b + r) * h
                let dhv = dhr + r * h, dcv = dcr + r * h
                let cpr = s > 0 ? c + (previous * b + r) * h : UnsafePointer(zeros.pointer)
                for j in 0..<h {
                    let i = row[j], f = row[h + j], g = row[2 * h + j], o = row[3 * h + j], tcj = tcr[j]
                    let dhj = dyr[j] + dhv[j]
                    let dcj = dcv[j] + dhj * o * (1 - tcj * tcj)
                    row[j] = dcj * g * (i * (1 - i))
                    row[h + j] = dcj * cpr[j] * (f * (1 - f))
                    row[2 * h + j] = dcj * i * (1 - g * g)
                    row[3 * h + j] = dhj * tcj * (o * (1 - o))
                    dcv[j] = dcj * f
                }
            }
            if s > 0 { T.gemm(false, false, b, h, g4, 1, zt, g4, weights + dir.recurrentWeights, h, 0, dhr, h) }
        }
        // dW_hh = Σ_t dZ_tᵀ·h_{t∓1}: the steps that had a predecessor, as one product.
        if steps > 1 {
            let zFrom = dir.reverse ? z : z + b * g4
            let hFrom = dir.reverse ? y + b * ldy : y
            T.gemm(true, false, g4, h, (steps - 1) * b, 1, zFrom, g4, hFrom, ldy, 1, grads + dir.recurrentWeights, h)
        }
        T.gemm(true, false, g4, inputSize, x.rows, 1, z, g4, x.data, inputSize, 1, grads + dir.inputWeights, inputSize)
        let biasGrad = scratch.reserve(g4)
        scratch.zero(g4)
        Rows.addColumnSums(z, rows: x.rows, width: g4, into: biasGrad)
        for j in 0..<g4 {
            grads[dir.inputBias + j] += biasGrad[j]
            grads[dir.recurrentBias + j] += biasGrad[j]
        }
        if let dx {
            T.gemm(false, false, x.rows, inputSize, g4, 1, z, g4, weights + dir.inputWeights, inputSize, accumulate ? 1 : 0, dx, inputSize)
        }
    }
}
