/// A reusable scratch array owned by one layer of one shard. `reserve` grows it (contents are
/// not kept), so a network allocates once per batch size, not once per step.
final class NNBuffer<T: NNScalar> {
    private(set) var pointer: UnsafeMutablePointer<T>
    private(set) var capacity: Int

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    init(_ count: Int = 0) {
        capacity = max(count, 1)
        pointer = .allocate(capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
    }

    deinit { pointer.deallocate() }

    /// At least `count` elements; the pointer may change.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    @discardableResult
    func reserve(_ count: Int) -> UnsafeMutablePointer<T> {
        if count > capacity {
            pointer.deallocate()
            capacity = count
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        return pointer
    }

    @_specialize(where T == Float)
    @_specialize(where T == Double)
    func zero(_ count: Int) { pointer.update(repeating: 0, count: count) }
}
