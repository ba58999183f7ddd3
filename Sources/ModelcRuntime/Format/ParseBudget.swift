import CModelcSchema
import CProtobufC

/// A protobuf-c allocator that refuses once a byte budget is spent, so that parsing a body
/// cannot allocate more than a fixed multiple of its size (an empty repeated sub-message costs
/// two bytes on disk and a whole struct in memory). protobuf-c turns a refused allocation into
/// a failed unpack and frees what it had built.
///
/// Each block records its size in the `MODELC_BLOCK_HEADER` bytes before it: protobuf-c keeps a
/// string as a NUL-terminated copy (`length + 1` bytes), so a string whose `strlen` is shorter
/// than its block held a NUL byte, which the runtime cannot pass on and must refuse
/// (`modelc_strings_valid`).
struct ParseBudget {
    /// Runs `body` with an allocator that grants at most `bytes` in total; `exhausted` tells a
    /// failed parse caused by the budget from a malformed message.
    static func withAllocator<R>(
        bytes: Int, _ body: (UnsafeMutablePointer<ProtobufCAllocator>, () -> Bool) throws(ModelcError) -> R
    ) throws(ModelcError) -> R {
        let state = UnsafeMutablePointer<Int>.allocate(capacity: 2)   // [remaining, exhausted]
        state[0] = bytes
        state[1] = 0
        defer { state.deallocate() }
        var allocator = ProtobufCAllocator(
            alloc: { data, size in
                let s = data!.assumingMemoryBound(to: Int.self)
                guard size <= s[0] else { s[1] = 1; return nil }
                s[0] -= size
                let block = UnsafeMutableRawPointer.allocate(byteCount: Int(MODELC_BLOCK_HEADER) + size, alignment: 16)
                block.storeBytes(of: size, as: Int.self)
                return block + Int(MODELC_BLOCK_HEADER)
            },
            free: { _, p in (p.map { $0 - Int(MODELC_BLOCK_HEADER) })?.deallocate() },
            allocator_data: UnsafeMutableRawPointer(state))
        return try withUnsafeMutablePointer(to: &allocator) { (a) throws(ModelcError) -> R in
            try body(a, { state[1] != 0 })
        }
    }
}
