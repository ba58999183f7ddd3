/// The little-endian byte layout of cache payloads: integers as 8 bytes, floating-point values by
/// their bit patterns (so a value read back is the value written, NaN and infinities included),
/// strings and arrays by their count first.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ v: Int) { word(UInt64(bitPattern: Int64(v))) }
    mutating func word(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes += $0 } }
    mutating func double(_ v: Double) { word(v.bitPattern) }
    mutating func float(_ v: Float) { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func string(_ s: String) { array(Array(s.utf8)) { $0.bytes.append($1) } }

    mutating func array<T>(_ values: [T], _ each: (inout ByteWriter, T) -> Void) {
        int(values.count)
        for v in values { each(&self, v) }
    }
}

/// Reads what `ByteWriter` wrote; any read past the end or out of range is an error naming the
/// payload, never a crash.
struct ByteReader {
    let bytes: [UInt8]
    let name: String
    private var at = 0

    init(_ bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    func fail(_ what: String) -> Failure { Failure(description: "\(name): \(what) at byte \(at)") }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - at else { throw fail("truncated: \(n) byte(s) wanted, \(bytes.count - at) left") }
        defer { at += n }
        return bytes[at..<(at + n)]
    }

    mutating func word() throws -> UInt64 { try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) } }
    mutating func int() throws -> Int { Int(Int64(bitPattern: try word())) }
    mutating func double() throws -> Double { Double(bitPattern: try word()) }
    mutating func float() throws -> Float { Float(bitPattern: try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }) }

    mutating func bool() throws -> Bool {
        let b = try take(1).first!
        guard b <= 1 else { throw fail("\(b) is not a boolean") }
        return b == 1
    }

    mutating func string() throws -> String {
        let utf8 = try array { try $0.take(1).first! }
        guard let s = String(bytes: utf8, encoding: .utf8) else { throw fail("a string that is not UTF-8") }
        return s
    }

    mutating func array<T>(_ each: (inout ByteReader) throws -> T) throws -> [T] {
        let n = try int()
        guard n >= 0, n <= bytes.count - at else { throw fail("an array of \(n) elements in \(bytes.count - at) bytes") }
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try each(&self)) }
        return out
    }

    /// Throws unless every byte was read.
    func finish() throws {
        guard at == bytes.count else { throw fail("\(bytes.count - at) byte(s) left over") }
    }
}
