/// The working memory of scoring (layer outputs, LSTM states, scaled windows, tree margins), so
/// that scoring a candle allocates nothing once it has run (Spec.md §8, "Allocation"). A stream
/// holds one, and a model one for `mc_score_inputs`.
///
/// A score takes buffers in stack order (`take`, then `release(to:)` a `mark`) and calls `reset`
/// when it ends. The arena sizes itself: a take that does not fit is served from memory of its
/// own, kept until that `reset`, which grows the block to the most ever taken at once. So the
/// first score allocates and every later one of the same shape runs in the block, and no size is
/// computed twice (the code that takes a buffer is the code that says how large).
final class ScratchArena: @unchecked Sendable {
    /// Every buffer starts on this boundary (a cache line; the widest vector load).
    static let alignment = 64

    private var block: UnsafeMutableRawPointer?
    private var capacity = 0
    /// Bytes taken since the last reset, counted as if the block held them all.
    private var used = 0
    private var mostUsed = 0
    /// Takes that did not fit the block, freed at the next reset.
    private var overflow: [UnsafeMutableRawPointer] = []

    deinit {
        freeOverflow()
        block?.deallocate()
    }

    /// Gives back everything taken (a score ends); grows the block if the score needed more.
    func reset() {
        freeOverflow()
        used = 0
        guard mostUsed > capacity else { return }
        block?.deallocate()
        block = .allocate(byteCount: mostUsed, alignment: Self.alignment)
        capacity = mostUsed
    }

    /// Room for `count` values of `T`, uninitialised, valid until released or reset.
    func take<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        let bytes = (max(count, 1) * MemoryLayout<T>.stride + Self.alignment - 1) / Self.alignment * Self.alignment
        let raw: UnsafeMutableRawPointer
        if let block, used + bytes <= capacity {
            raw = block + used
        } else {
            raw = .allocate(byteCount: bytes, alignment: Self.alignment)
            overflow.append(raw)
        }
        used += bytes
        mostUsed = max(mostUsed, used)
        return raw.bindMemory(to: T.self, capacity: max(count, 1))
    }

    /// Where the next take starts: `release(to:)` it to give back everything taken after.
    var mark: Int { used }

    func release(to mark: Int) {
        used = mark
    }

    private func freeOverflow() {
        for p in overflow { p.deallocate() }
        overflow.removeAll(keepingCapacity: true)
    }
}
