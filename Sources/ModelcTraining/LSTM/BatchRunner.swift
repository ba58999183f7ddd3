import CBLAS
import Dispatch

/// Splits each batch into one contiguous shard per thread; every shard runs the network on its
/// own tape with single-threaded BLAS, and the shards' gradients are summed in shard order.
/// Sharding the batch scales with the thread count where BLAS threading of the many small
/// per-step products does not. Results depend on the thread count only through that final sum.
final class BatchRunner: @unchecked Sendable {
    let network: Network<Float>
    let tapes: [Network<Float>.Tape]
    private let inputs: [NNBuffer<Float>]

    init(network: Network<Float>, threads: Int) {
        self.network = network
        let n = max(1, threads)
        tapes = (0..<n).map { _ in network.makeTape() }
        inputs = (0..<n).map { _ in NNBuffer() }
        // Parallelism comes from the shards; BLAS threads would only contend with them.
        openblas_set_num_threads(1)
    }

    /// Contiguous, near-equal parts of `0..<batch`, one per tape (some may be empty).
    func shards(_ batch: Int) -> [Range<Int>] {
        let n = tapes.count
        return (0..<n).map { s in (s * batch / n)..<((s + 1) * batch / n) }
    }

    /// Runs `work(shard, rows, tape, input)` for every non-empty shard, in parallel, after
    /// `fill(rows, input)` has written the shard's time-major input `[T, rows.count, F]`.
    func run(batch: Int, fill: (Range<Int>, UnsafeMutablePointer<Float>) -> Void,
             work: (Int, Range<Int>, Network<Float>.Tape, UnsafeMutablePointer<Float>) -> Void) {
        let parts = shards(batch)
        let perRow = network.spec.sequenceLength * network.spec.inputSize
        Parallel.forEach(parts.count) { s in
            let rows = parts[s]
            guard !rows.isEmpty else { return }
            let input = self.inputs[s].reserve(rows.count * perRow)
            fill(rows, input)
            work(s, rows, self.tapes[s], input)
        }
    }

    /// `tapes[0].gradient ← Σ_s tapes[s].gradient` over the shards that ran, in shard order.
    func sumGradients(batch: Int) -> UnsafeMutablePointer<Float> {
        let n = network.layout.count, total = tapes[0].gradient.pointer
        for (s, rows) in shards(batch).enumerated() where s > 0 && !rows.isEmpty {
            let g = tapes[s].gradient.pointer
            for i in 0..<n { total[i] += g[i] }
        }
        return total
    }
}

/// `concurrentPerform` for closures over shard-private state: each index touches only its own
/// shard's buffers (and disjoint slices of shared outputs), which the compiler cannot see.
enum Parallel {
    private struct Unchecked<T>: @unchecked Sendable { let value: T }

    static func forEach(_ count: Int, _ body: (Int) -> Void) {
        if count == 1 { return body(0) }
        withoutActuallyEscaping(body) { body in
            let box = Unchecked(value: body)
            DispatchQueue.concurrentPerform(iterations: count) { box.value($0) }
        }
    }
}
