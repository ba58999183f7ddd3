import CModelcKernels

/// A weight matrix of `rows` outputs by `cols` inputs, packed at load into the panels the C
/// kernels stream (CModelcKernels: outputs in panels of 16, each input-major), so they vectorise
/// across outputs while each output keeps the stated summation order: ascending input index `k`
/// (Spec.md, "Numerics contract").
public struct WeightMatrix: Sendable {
    public enum Storage: Sendable {
        /// f32 values (f16 tensors are widened exactly at load).
        case f32([Float])
        /// int8 values and one scale per output row, dequantised in the product.
        case int8([Int8], scales: [Float])
        /// int8 values in [-127, 127] packed by input quads, one scale per output row; each input
        /// vector is quantised too and the product is exact integer arithmetic.
        case int8Dynamic([Int8], scales: [Float])
        /// The same, widened to int16 and packed by input pairs: faster for batched products,
        /// twice the memory (`mck_pack_i8d_pairs`).
        case int8DynamicPairs([Int16], scales: [Float])
    }

    public let rows: Int
    public let cols: Int
    public let storage: Storage

    /// Builds the matrix from a `[rows, cols]` tensor; refuses any other shape, naming the tensor.
    /// `batched`: the matrix multiplies many vectors per call (dynamic int8 then packs pairs).
    public init(_ tensor: TensorData, rows: Int, cols: Int, dynamicInt8: Bool = false, batched: Bool = false) throws(ModelcError) {
        guard tensor.shape.count == 2, tensor.shape[0] == rows, tensor.shape[1] == cols else {
            throw ModelcError(.invalidModel, "tensor '\(tensor.name)' has shape \(tensor.shapeText), expected [\(rows), \(cols)]")
        }
        self.rows = rows
        self.cols = cols
        switch tensor.dtype {
        case .f32, .f16:
            storage = .f32([Float](unsafeUninitializedCapacity: mck_packed_count(rows, cols)) { buffer, count in
                tensor.withFloatValues { mck_pack_f32($0, rows, cols, buffer.baseAddress!) }
                count = buffer.count
            })
        case .int8:
            // Int32 accumulation of 128·128-sized products is exact below this many inputs.
            guard !dynamicInt8 || cols < 131_072 else {
                throw ModelcError(.limitExceeded, "tensor '\(tensor.name)': \(cols) inputs is too many for dynamic int8")
            }
            let values = tensor.data.map { Int8(bitPattern: $0) }
            if dynamicInt8 {
                // The exact byte multiply-add of mck_matmul_i8d needs |q| <= 127 (the quantiser's range).
                if let i = values.firstIndex(of: Int8.min) {
                    throw ModelcError(.invalidModel, "tensor '\(tensor.name)': value -128 at element \(i); dynamic int8 weights must lie in [-127, 127]")
                }
                if batched {
                    storage = .int8DynamicPairs([Int16](unsafeUninitializedCapacity: mck_packed_i8d_pairs_count(rows, cols)) { buffer, count in
                        mck_pack_i8d_pairs(values, rows, cols, buffer.baseAddress!)
                        count = buffer.count
                    }, scales: tensor.scales)
                } else {
                    storage = .int8Dynamic([Int8](unsafeUninitializedCapacity: mck_packed_i8d_count(rows, cols)) { buffer, count in
                        mck_pack_i8d(values, rows, cols, buffer.baseAddress!)
                        count = buffer.count
                    }, scales: tensor.scales)
                }
            } else {
                storage = .int8([Int8](unsafeUninitializedCapacity: mck_packed_count(rows, cols)) { buffer, count in
                    mck_pack_i8(values, rows, cols, buffer.baseAddress!)
                    count = buffer.count
                }, scales: tensor.scales)
            }
        }
    }

    /// `y[j][o] = (Σₖ W[o,k]·x[j][k]) + bias[o]` for `count` input vectors `x[j]` (each `cols`
    /// long, outputs `rows` long), the sum in ascending k from 0 with every product rounded
    /// (CModelcKernels). int8 weight-only: `(Σₖ Float(q[o,k])·x[k]) · scale[o] + bias[o]`;
    /// int8 dynamic: see `mck_matmul_i8d` (either layout gives the same bits), its quantised
    /// inputs in scratch taken from `arena`.
    func apply(_ x: UnsafePointer<Float>, count: Int = 1, bias: UnsafePointer<Float>?, into y: UnsafeMutablePointer<Float>,
               arena: ScratchArena) {
        let mark = arena.mark
        defer { arena.release(to: mark) }
        switch storage {
        case .f32(let w):
            w.withUnsafeBufferPointer { mck_matmul_f32($0.baseAddress!, rows, cols, x, count, bias, y) }
        case .int8(let q, let scales):
            q.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { mck_matmul_i8w(q.baseAddress!, $0.baseAddress!, rows, cols, x, count, bias, y) }
            }
        case .int8Dynamic(let q, let scales):
            let scratch = arena.take(Int32.self, mck_i8d_scratch_count(cols, count))
            q.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { mck_matmul_i8d(q.baseAddress!, $0.baseAddress!, rows, cols, x, count, bias, y, scratch) }
            }
        case .int8DynamicPairs(let q, let scales):
            let scratch = arena.take(Int32.self, mck_i8d_pairs_scratch_count(cols, count))
            q.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer {
                    mck_matmul_i8d_pairs(q.baseAddress!, $0.baseAddress!, rows, cols, x, count, bias, y, scratch)
                }
            }
        }
    }

    /// One LSTM step of `count` windows: this matrix is W_hh (`4·hidden × hidden`, gate rows
    /// grouped as `mck_lstm_step_*` states), `u` the projected inputs in the same row order.
    /// Window j reads `h + j·hStride` (0: one h for all) and `u + j·uStride`, updates
    /// `c + j·hidden` and writes `hNext + j·nStride`. One window runs `mck_lstm_step_*`, several
    /// `mck_lstm_rows_*` (the weights read once per block of windows): the same bits per window.
    func lstmSteps(hidden: Int, count: Int, h: UnsafePointer<Float>, hStride: Int, u: UnsafePointer<Float>, uStride: Int,
                   c: UnsafeMutablePointer<Float>, hNext: UnsafeMutablePointer<Float>, nStride: Int, arena: ScratchArena) {
        let mark = arena.mark
        defer { arena.release(to: mark) }
        let z = count == 1 ? nil : arena.take(Float.self, count * 4 * Int(MCK_CELL_UNITS))
        switch storage {
        case .f32(let w):
            w.withUnsafeBufferPointer { w in
                if let z { mck_lstm_rows_f32(w.baseAddress!, hidden, count, h, hStride, u, uStride, c, hNext, nStride, z) }
                else { mck_lstm_step_f32(w.baseAddress!, hidden, h, u, c, hNext) }
            }
        case .int8(let q, let scales):
            q.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { s in
                    if let z { mck_lstm_rows_i8w(q.baseAddress!, s.baseAddress!, hidden, count, h, hStride, u, uStride, c, hNext, nStride, z) }
                    else { mck_lstm_step_i8w(q.baseAddress!, s.baseAddress!, hidden, h, u, c, hNext) }
                }
            }
        case .int8Dynamic(let q, let scales):
            let scratch = arena.take(Int32.self, mck_i8d_scratch_count(hidden, count))
            q.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { s in
                    if let z {
                        mck_lstm_rows_i8d(q.baseAddress!, s.baseAddress!, hidden, count, h, hStride, u, uStride, c, hNext, nStride, z, scratch)
                    } else {
                        mck_lstm_step_i8d(q.baseAddress!, s.baseAddress!, hidden, h, u, c, hNext, scratch)
                    }
                }
            }
        case .int8DynamicPairs(let q, let scales):
            let scratch = arena.take(Int32.self, mck_i8d_pairs_scratch_count(hidden, count))
            q.withUnsafeBufferPointer { q in
                scales.withUnsafeBufferPointer { s in
                    if let z {
                        mck_lstm_rows_i8d_pairs(q.baseAddress!, s.baseAddress!, hidden, count, h, hStride, u, uStride, c, hNext,
                                                nStride, z, scratch)
                    } else {
                        mck_lstm_step_i8d_pairs(q.baseAddress!, s.baseAddress!, hidden, h, u, c, hNext, scratch)
                    }
                }
            }
        }
    }
}

extension TensorData {
    /// The tensor's values as f32: f32 read as stored, f16 widened exactly, int8 dequantised.
    public func floatValues() -> [Float] {
        switch dtype {
        case .f32:
            return data.withUnsafeBytes { raw in
                [Float](unsafeUninitializedCapacity: elementCount) { out, count in
                    for i in 0..<elementCount {
                        out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                    }
                    count = elementCount
                }
            }
        case .f16:
            return data.withUnsafeBytes { raw in
                [Float](unsafeUninitializedCapacity: elementCount) { out, count in
                    for i in 0..<elementCount {
                        out[i] = halfToFloat(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                    }
                    count = elementCount
                }
            }
        case .int8:
            let perRow = shape.count > 1 ? elementCount / shape[0] : 1
            return (0..<elementCount).map { i in Float(Int8(bitPattern: data[i])) * scales[i / perRow] }
        }
    }

    /// Runs `body` on the tensor's values as f32: an f32 tensor's stored bytes themselves on a
    /// little-endian host (no copy: the array's storage is aligned for Float), `floatValues()`
    /// otherwise.
    func withFloatValues<R>(_ body: (UnsafePointer<Float>) -> R) -> R {
        #if _endian(little)
        if dtype == .f32 {
            return data.withUnsafeBytes { body($0.baseAddress!.assumingMemoryBound(to: Float.self)) }
        }
        #endif
        return floatValues().withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    var shapeText: String {
        var s = "["
        for (i, d) in shape.enumerated() { s += (i == 0 ? "" : ", ") + "\(d)" }
        return s + "]"
    }
}

/// IEEE binary16 -> binary32, exact for every input (subnormals, infinities, NaN payloads).
func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h) & 0x3FF
    if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13) }
    if exponent != 0 { return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13) }
    // Zero or subnormal: mantissa * 2^-24, exact in f32.
    let magnitude = Float(mantissa) * (1.0 / 16_777_216.0)
    return sign != 0 ? -magnitude : magnitude
}
