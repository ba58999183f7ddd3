import ModelcFormat

/// A small UBJSON reader (ubjson.org, draft 12: big-endian, optimized containers with `$` type
/// and `#` count), as XGBoost writes `.ubj` models. Errors name the file and the byte offset.
struct UBJSONDocumentReader {
    static let maxDepth = 256

    private let bytes: [UInt8]
    private let file: String
    private var at = 0

    static func parse(_ bytes: [UInt8], file: String) throws(ImportError) -> DocumentValue {
        var reader = UBJSONDocumentReader(bytes: bytes, file: file)
        let value = try reader.value(marker: try reader.marker(), depth: 0)
        guard reader.at == bytes.count else { throw reader.fail("unexpected data after the top-level value") }
        return value
    }

    private init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    private func fail(_ what: String) -> ImportError {
        ImportError(file, "invalid UBJSON at byte \(at): \(what)")
    }

    /// The next type marker, skipping no-op markers.
    private mutating func marker() throws(ImportError) -> UInt8 {
        while true {
            let m = try byte()
            if m != UInt8(ascii: "N") { return m }
        }
    }

    private mutating func take(_ n: Int) throws(ImportError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= bytes.count - at else { throw fail("unexpected end of file") }
        defer { at += n }
        return bytes[at..<at + n]
    }

    private mutating func byte() throws(ImportError) -> UInt8 {
        guard at < bytes.count else { throw fail("unexpected end of file") }
        defer { at += 1 }
        return bytes[at]
    }

    private mutating func bigEndian(_ n: Int) throws(ImportError) -> UInt64 {
        var v: UInt64 = 0
        for byte in try take(n) { v = v << 8 | UInt64(byte) }
        return v
    }

    private mutating func value(marker m: UInt8, depth: Int) throws(ImportError) -> DocumentValue {
        guard depth < Self.maxDepth else { throw fail("nested deeper than \(Self.maxDepth)") }
        switch m {
        case UInt8(ascii: "Z"): return .null
        case UInt8(ascii: "T"): return .bool(true)
        case UInt8(ascii: "F"): return .bool(false)
        case UInt8(ascii: "i"), UInt8(ascii: "U"), UInt8(ascii: "I"), UInt8(ascii: "l"), UInt8(ascii: "L"):
            return .integer(try integer(marker: m))
        case UInt8(ascii: "d"): return .float32(Float(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "D"): return .float64(Double(bitPattern: try bigEndian(8)))
        case UInt8(ascii: "H"): return .decimal(try string())
        case UInt8(ascii: "C"): return .string(String(decoding: try take(1), as: UTF8.self))
        case UInt8(ascii: "S"): return .string(try string())
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "{"): return try object(depth: depth)
        default: throw fail("unknown type marker 0x\(String(m, radix: 16))")
        }
    }

    private mutating func integer(marker m: UInt8) throws(ImportError) -> Int64 {
        switch m {
        case UInt8(ascii: "i"): return Int64(Int8(bitPattern: UInt8(try bigEndian(1))))
        case UInt8(ascii: "U"): return Int64(try bigEndian(1))
        case UInt8(ascii: "I"): return Int64(Int16(bitPattern: UInt16(try bigEndian(2))))
        case UInt8(ascii: "l"): return Int64(Int32(bitPattern: UInt32(try bigEndian(4))))
        case UInt8(ascii: "L"): return Int64(bitPattern: try bigEndian(8))
        default: throw fail("expected an integer type marker")
        }
    }

    /// A length-prefixed UTF-8 string (the length is an integer value with its own marker).
    private mutating func string() throws(ImportError) -> String {
        let n = try integer(marker: try marker())
        guard n >= 0, n <= Int64(bytes.count - at) else { throw fail("string length \(n) runs past the end") }
        return String(decoding: try take(Int(n)), as: UTF8.self)
    }

    /// The optional `$type` and `#count` of an optimized container.
    private mutating func containerHeader() throws(ImportError) -> (type: UInt8?, count: Int?) {
        var type: UInt8?
        if at < bytes.count, bytes[at] == UInt8(ascii: "$") {
            at += 1
            type = try byte()
        }
        guard at < bytes.count, bytes[at] == UInt8(ascii: "#") else {
            if type != nil { throw fail("a typed container needs a count") }
            return (nil, nil)
        }
        at += 1
        let n = try integer(marker: try marker())
        // Every element takes at least one byte unless the type carries no payload.
        guard n >= 0, n <= Int64(bytes.count - at) || type == UInt8(ascii: "Z") else {
            throw fail("container count \(n) runs past the end")
        }
        return (type, Int(n))
    }

    /// A typed container's elements carry no marker of their own.
    private mutating func elementMarker(_ type: UInt8?) throws(ImportError) -> UInt8 {
        if let type { return type }
        return try marker()
    }

    private mutating func array(depth: Int) throws(ImportError) -> DocumentValue {
        let (type, count) = try containerHeader()
        var items: [DocumentValue] = []
        if let count {
            items.reserveCapacity(count)
            for _ in 0..<count {
                items.append(try value(marker: try elementMarker(type), depth: depth + 1))
            }
            return .array(items)
        }
        while true {
            let m = try marker()
            if m == UInt8(ascii: "]") { return .array(items) }
            items.append(try value(marker: m, depth: depth + 1))
        }
    }

    private mutating func object(depth: Int) throws(ImportError) -> DocumentValue {
        let (type, count) = try containerHeader()
        var members: [(key: String, value: DocumentValue)] = []
        if let count {
            for _ in 0..<count {
                let key = try string()
                members.append((key, try value(marker: try elementMarker(type), depth: depth + 1)))
            }
            return .object(members)
        }
        while true {
            guard at < bytes.count else { throw fail("unterminated object") }
            if bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            if bytes[at] == UInt8(ascii: "N") {
                at += 1
                continue
            }
            let key = try string()
            members.append((key, try value(marker: try marker(), depth: depth + 1)))
        }
    }
}
