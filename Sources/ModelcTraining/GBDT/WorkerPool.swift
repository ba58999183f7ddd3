import Dispatch
import Foundation
import Synchronization

/// Runs a body once per worker, on `threads` threads at once. Every parallel step of the
/// trainer gives each worker a fixed, disjoint share of independent work items (features,
/// row blocks of a fixed size) whose results do not depend on which worker computed them, so
/// the trained model is the same bits for any thread count.
///
/// A tree takes a few hundred parallel steps of tens to hundreds of microseconds each, so on
/// Linux the workers are kept: they spin briefly for the next step, then sleep on a condition
/// variable (Dispatch's concurrentPerform cost more than the small steps gained). Elsewhere
/// concurrentPerform is the fallback.
final class WorkerPool: @unchecked Sendable {
    let threads: Int
    #if os(Linux)
        private let team: ThreadTeam?
    #endif

    /// `requested` 0 means one worker per active processor.
    init(requested: Int) {
        threads = requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
        #if os(Linux)
            team = threads > 1 ? ThreadTeam(size: threads) : nil
        #endif
    }

    #if os(Linux)
        deinit { team?.shutDown() }
    #endif

    /// Calls `body(worker, workers)` for worker in 0..<workers, where workers is `threads`, or 1
    /// when `parallel` is false (work too small to be worth waking threads). The calling thread
    /// is worker 0. Bodies must touch disjoint memory and must not call `run` themselves.
    func run(parallel: Bool = true, _ body: (_ worker: Int, _ workers: Int) -> Void) {
        guard threads > 1, parallel else { return body(0, 1) }
        #if os(Linux)
            team!.run(body)
        #else
            withoutActuallyEscaping(body) { body in
                let box = UncheckedBody(body: body)
                let threads = threads
                DispatchQueue.concurrentPerform(iterations: threads) { box.body($0, threads) }
            }
        #endif
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

#if !os(Linux)
/// A body handed to other threads; the workers' disjoint writes are the callers' contract,
/// which the compiler cannot see through the pointers the body captures.
private struct UncheckedBody: @unchecked Sendable {
    let body: (Int, Int) -> Void
}
#else
/// `size - 1` threads that run the caller's body with it, step after step.
private final class ThreadTeam: @unchecked Sendable {
    let size: Int
    /// Bumped (releasing) once per step, after `job` is set.
    private let generation = Atomic<Int>(0)
    /// Workers still running the current step.
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    /// The current step's body; only read by workers between a generation bump and their
    /// decrement of `pending`.
    private var job: ((Int, Int) -> Void)?
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Workers asleep on `wake` (guarded by `mutex`).
    private var sleepers = 0
    private var threads: [pthread_t] = []
    /// Polls of `generation` before a worker goes to sleep (some tens of microseconds).
    private static let spins = 50_000

    init(size: Int) {
        self.size = size
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for index in 1..<size {
            let start = Unmanaged.passRetained(WorkerStart(team: self, index: index)).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, { context in
                let start = Unmanaged<WorkerStart>.fromOpaque(context!).takeRetainedValue()
                start.team.work(start.index)
                return nil
            }, start)
            precondition(rc == 0, "gbdt: cannot start a worker thread (pthread_create \(rc))")
            threads.append(thread)
        }
    }

    func run(_ body: (Int, Int) -> Void) {
        withoutActuallyEscaping(body) { body in
            job = body
            pending.store(size - 1, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            pthread_mutex_lock(mutex)
            if sleepers > 0 { pthread_cond_broadcast(wake) }
            pthread_mutex_unlock(mutex)
            body(0, size)
            var polls = 0
            while pending.load(ordering: .acquiring) > 0 {
                polls += 1
                if polls > Self.spins { sched_yield() }
            }
            job = nil
        }
    }

    /// Ends the threads; the team is unusable afterwards.
    func shutDown() {
        stopping.store(true, ordering: .relaxed)
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(mutex)
        for thread in threads { pthread_join(thread, nil) }
        threads = []
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(mutex)
        wake.deallocate()
        mutex.deallocate()
    }

    private func work(_ index: Int) {
        var seen = 0
        while true {
            var polls = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                polls += 1
                if polls > Self.spins {
                    pthread_mutex_lock(mutex)
                    sleepers += 1
                    while generation.load(ordering: .acquiring) == seen { pthread_cond_wait(wake, mutex) }
                    sleepers -= 1
                    pthread_mutex_unlock(mutex)
                }
                current = generation.load(ordering: .acquiring)
            }
            seen = current
            if stopping.load(ordering: .relaxed) { return }
            job!(index, size)
            pending.subtract(1, ordering: .releasing)
        }
    }
}

private final class WorkerStart {
    let team: ThreadTeam
    let index: Int
    init(team: ThreadTeam, index: Int) {
        self.team = team
        self.index = index
    }
}
#endif
