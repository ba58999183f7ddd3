import Dispatch
import Foundation

/// Runs a body once per worker, on `threads` threads at once. Every parallel step of the
/// trainer gives each worker a fixed, disjoint share of independent work items (features,
/// row blocks of a fixed size) whose results do not depend on which worker computed them, so
/// the trained model is the same bits for any thread count.
struct WorkerPool: Sendable {
    let threads: Int

    /// `requested` 0 means one worker per active processor.
    init(requested: Int) {
        threads = requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Calls `body(worker, workers)` for worker in 0..<workers, where workers is `threads`, or 1
    /// when `parallel` is false (work too small to be worth waking threads).
    func run(parallel: Bool = true, _ body: (_ worker: Int, _ workers: Int) -> Void) {
        if threads == 1 || !parallel {
            body(0, 1)
        } else {
            // The workers only touch disjoint memory (the contract of every caller), which the
            // compiler cannot see through the pointers they capture: hence the unchecked box.
            withoutActuallyEscaping(body) { body in
                let box = UncheckedBody(body: body)
                let threads = threads
                DispatchQueue.concurrentPerform(iterations: threads) { box.body($0, threads) }
            }
        }
    }

    /// The `part`-th of `parts` contiguous, nearly equal slices of `0..<count`.
    static func slice(_ count: Int, part: Int, of parts: Int) -> Range<Int> {
        (count * part / parts)..<(count * (part + 1) / parts)
    }

    /// Calls `body(range)` for every block of `blockSize` items of `0..<count` (the last block
    /// may be shorter), spreading whole blocks over the workers. Blocks are fixed by `count` and
    /// `blockSize` alone, never by the thread count.
    func forEachBlock(_ count: Int, blockSize: Int, _ body: (Range<Int>) -> Void) {
        let blocks = (count + blockSize - 1) / blockSize
        run(parallel: blocks > 1) { worker, workers in
            for block in WorkerPool.slice(blocks, part: worker, of: workers) {
                body((block * blockSize)..<min(count, (block + 1) * blockSize))
            }
        }
    }
}

private struct UncheckedBody: @unchecked Sendable {
    let body: (Int, Int) -> Void
}
