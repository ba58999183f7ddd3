import CBLAS
import Dispatch
import Foundation

/// Splits each batch into fixed shards of `shardSize` samples; each shard runs the network on a
/// tape of its own with single-threaded BLAS, `threads` workers take shards as they come free,
/// and the shards' gradients are summed in shard order. Sharding the batch scales where BLAS
/// threading of the many small per-step products does not, adapts to cores that other work
/// slows, and — because shards are fixed and summed in order — gives the same bits for any
/// thread count.
final class BatchRunner: @unchecked Sendable {
    let network: Network<Float>
    let threads: Int
    let shardSize: Int
    private(set) var tapes: [Network<Float>.Tape] = []
    private var inputs: [NNBuffer<Float>] = []

    /// Samples per shard unless a config says otherwise: as fast per core as 128 or 256 (the
    /// per-step products keep their efficiency down to 64 rows) while leaving work to balance.
    static let defaultShardSize = 64

    init(network: Network<Float>, threads: Int, shardSize: Int = defaultShardSize) {
        self.network = network
        self.threads = max(1, threads)
        self.shardSize = max(1, shardSize)
        // Parallelism comes from the shards; BLAS threads would only contend with them.
        openblas_set_num_threads(1)
    }

    /// `0..<batch` cut into consecutive shards of `shardSize` (the last may be shorter).
    func shards(_ batch: Int) -> [Range<Int>] {
        stride(from: 0, to: batch, by: shardSize).map { $0..<min($0 + shardSize, batch) }
    }

    /// Runs `work(shard, rows, tape, input)` for every shard, on up to `threads` threads, after
    /// `fill(rows, input)` has written the shard's time-major input `[T, rows.count, F]`.
    func run(batch: Int, fill: (Range<Int>, UnsafeMutablePointer<Float>) -> Void,
             work: (Int, Range<Int>, Network<Float>.Tape, UnsafeMutablePointer<Float>) -> Void) {
        let parts = shards(batch)
        while tapes.count < parts.count {
            tapes.append(network.makeTape())
            inputs.append(NNBuffer())
        }
        let perRow = network.spec.sequenceLength * network.spec.inputSize
        let queue = ShardQueue()
        Parallel.forEach(min(threads, parts.count)) { _ in
            while true {
                let s = queue.take()
                guard s < parts.count else { return }
                let input = self.inputs[s].reserve(parts[s].count * perRow)
                fill(parts[s], input)
                work(s, parts[s], self.tapes[s], input)
            }
        }
    }

    /// `tapes[0].gradient ← Σ_s tapes[s].gradient` over the shards of `batch`, in shard order.
    func sumGradients(batch: Int) -> UnsafeMutablePointer<Float> {
        let n = network.layout.count, total = tapes[0].gradient.pointer
        for s in 1..<shards(batch).count {
            let g = tapes[s].gradient.pointer
            for i in 0..<n { total[i] += g[i] }
        }
        return total
    }
}

/// Hands out shard indices 0, 1, 2, … to whichever worker asks next.
private final class ShardQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0

    func take() -> Int {
        lock.lock()
        defer { lock.unlock() }
        next += 1
        return next - 1
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
