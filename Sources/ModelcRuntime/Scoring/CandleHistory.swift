/// The last `capacity` candles pushed, oldest overwritten first: what a stream replays into a
/// model that takes it over (Spec.md §4.7). Index 0 is the oldest held candle.
struct CandleHistory: Sendable {
    private var candles: [Candle] = []
    private var start = 0
    private(set) var capacity: Int

    /// Room for every candle is reserved here, so that appending never allocates.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
        candles.reserveCapacity(self.capacity)
    }

    var count: Int { candles.count }

    subscript(i: Int) -> Candle { candles[(start + i) % candles.count] }

    mutating func append(_ candle: Candle) {
        if candles.count < capacity {
            candles.append(candle)
        } else {
            candles[start] = candle
            start = (start + 1) % capacity
        }
    }

    mutating func removeAll() {
        candles.removeAll(keepingCapacity: true)
        start = 0
    }

    /// Grows the capacity to at least `n`, keeping the held candles in order.
    mutating func reserve(_ n: Int) {
        guard n > capacity else { return }
        var grown: [Candle] = []
        grown.reserveCapacity(n)
        for i in 0..<count { grown.append(self[i]) }
        candles = grown
        start = 0
        capacity = n
    }
}
