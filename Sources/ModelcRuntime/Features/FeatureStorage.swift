/// The engine's numeric state (rings, EMA and Wilder averages, seed buffers) in one block of
/// doubles allocated at init: pushing a candle allocates nothing. The engine copies the block
/// before writing when it is shared, so `FeatureEngine` keeps value semantics (a copy is an
/// independent snapshot of the stream).
final class FeatureStorage: @unchecked Sendable {
    let count: Int
    let values: UnsafeMutablePointer<Double>

    init(count: Int) {
        self.count = count
        values = .allocate(capacity: max(count, 1))
        values.initialize(repeating: .nan, count: max(count, 1))
    }

    func copy() -> FeatureStorage {
        let c = FeatureStorage(count: count)
        c.values.update(from: values, count: max(count, 1))
        return c
    }

    deinit {
        values.deallocate()
    }
}
