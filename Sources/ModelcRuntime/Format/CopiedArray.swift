/// `count` values at `start` (nil when `count` is 0) as an array, in one copy of their bytes: the
/// generic `Array(UnsafeBufferPointer(...))` copied element by element in the Embedded build, and
/// for a 3 MB artifact that was most of its load time. For plain values (numbers) only.
func copiedArray<T>(_ start: UnsafePointer<T>?, _ count: Int) -> [T] {
    [T](unsafeUninitializedCapacity: count) { out, initialized in
        if let start, count > 0 {
            UnsafeMutableRawPointer(out.baseAddress!).copyMemory(from: start, byteCount: count * MemoryLayout<T>.stride)
        }
        initialized = count
    }
}
