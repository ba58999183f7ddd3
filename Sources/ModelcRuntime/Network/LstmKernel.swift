import CModelcKernels

/// One LSTM layer over a whole sequence (PyTorch semantics, h₀ = c₀ = 0).
///
/// Order of operations, per direction (Spec.md, "Numerics contract"):
/// 1. input projection for every step at once: `u_t = W_ih·x_t + bias` (WeightMatrix.apply);
/// 2. per step: `r = W_hh·h_{t−1}` (ascending k), `z = u_t + r` (the product kernel adds `u_t` as
///    its bias: one rounding either way);
/// 3. `i = σ(z_i)`, `f = σ(z_f)`, `g = tanh(z_g)`, `o = σ(z_o)`, `c = f·c + i·g`, `h = o·tanh(c)`,
///    each product rounded before the sum (`mck_lstm_cell`, or fused with step 2 in
///    `mck_lstm_step_*` when the hidden size is a multiple of 16: the same bits).
enum LstmKernel {
    /// `input` holds `windows` sequences of `steps × inputSize`, one after another; writes
    /// `windows` sequences of `steps × outputSize` into `output`. Each direction's scratch is
    /// taken from `arena` and given back when it is done. Fused layers run every window's step
    /// together (the weights read once per block of windows); each window's bits are those it
    /// has alone.
    static func run(_ layer: LstmDefinition, input: UnsafePointer<Float>, windows: Int = 1, steps: Int,
                    output: UnsafeMutablePointer<Float>, arena: ScratchArena) {
        let width = layer.outputSize
        runDirection(layer.forward, hidden: layer.hiddenSize, input: input, inputSize: layer.inputSize, windows: windows,
                     steps: steps, reverse: false, output: output, stride: width, arena: arena)
        if let reverse = layer.reverse {
            runDirection(reverse, hidden: layer.hiddenSize, input: input, inputSize: layer.inputSize, windows: windows,
                         steps: steps, reverse: true, output: output + layer.hiddenSize, stride: width, arena: arena)
        }
    }

    /// Whether a layer runs fused steps (`mck_lstm_step_*`), whose gate rows are grouped by 16
    /// units; other hidden sizes run the product and `mck_lstm_cell` in PyTorch's blocked order.
    static func fused(hidden: Int) -> Bool { hidden % 16 == 0 }

    /// Row `r` of the order the kernel runs takes stored row `order[r]`; nil when that is the
    /// stored order. Stored rows are blocked ([i; f; g; o]) or interleaved (unit-major).
    static func rowOrder(hidden: Int, storedInterleaved: Bool) -> [Int]? {
        func stored(_ gate: Int, _ unit: Int) -> Int { storedInterleaved ? 4 * unit + gate : gate * hidden + unit }
        if fused(hidden: hidden) {
            return (0..<(4 * hidden)).map { r in stored((r / 16) % 4, 16 * (r / 64) + r % 16) }
        }
        return storedInterleaved ? (0..<(4 * hidden)).map { r in stored(r / hidden, r % hidden) } : nil
    }

    private static func runDirection(_ w: LstmDirectionWeights, hidden: Int, input: UnsafePointer<Float>, inputSize: Int,
                                     windows: Int, steps: Int, reverse: Bool, output: UnsafeMutablePointer<Float>,
                                     stride: Int, arena: ScratchArena) {
        let gates = 4 * hidden
        let mark = arena.mark
        defer { arena.release(to: mark) }
        let projected = arena.take(Float.self, windows * steps * gates)
        let z = arena.take(Float.self, gates)
        let h = arena.take(Float.self, hidden)
        let c = arena.take(Float.self, windows * hidden)
        w.bias.withUnsafeBufferPointer { bias in
            w.inputWeights.apply(input, count: windows * steps, bias: bias.baseAddress!, into: projected, arena: arena)
        }
        h.initialize(repeating: 0, count: hidden)
        c.initialize(repeating: 0, count: windows * hidden)
        if fused(hidden: hidden) {
            // A fused step reads h_{t-1} from the output rows it wrote last (h₀ = 0 from `h`,
            // shared by every window).
            let window = steps * stride
            var previous = UnsafePointer(h), previousStride = 0
            for s in 0..<steps {
                let t = reverse ? steps - 1 - s : s
                w.recurrentWeights.lstmSteps(hidden: hidden, count: windows, h: previous, hStride: previousStride,
                                             u: projected + t * gates, uStride: steps * gates, c: c, hNext: output + t * stride,
                                             nStride: window, arena: arena)
                previous = UnsafePointer(output + t * stride)
                previousStride = window
            }
            return
        }
        for j in 0..<windows {
            h.initialize(repeating: 0, count: hidden)
            for s in 0..<steps {
                let t = reverse ? steps - 1 - s : s
                w.recurrentWeights.apply(h, bias: projected + (j * steps + t) * gates, into: z, arena: arena)
                mck_lstm_cell(z, c + j * hidden, h, hidden)
                UnsafeMutableRawPointer(output + j * steps * stride + t * stride)
                    .copyMemory(from: h, byteCount: hidden * MemoryLayout<Float>.stride)
            }
        }
    }
}
