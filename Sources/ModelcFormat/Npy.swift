import Foundation

/// A NumPy `.npy` array (format versions 1.0 to 3.0): little-endian numbers in C order, which
/// is what `numpy.save` writes on every common host. Used by `modelc predict` for its input
/// rows and outputs, and by tests for reference values.
public struct NpyArray: Equatable {
    public enum DType: String, CaseIterable {
        case float32 = "<f4", float64 = "<f8", int16 = "<i2", int32 = "<i4", int64 = "<i8"

        public var size: Int {
            switch self {
            case .int16: 2
            case .float32, .int32: 4
            case .float64, .int64: 8
            }
        }
    }

    public var dtype: DType
    public var shape: [Int]
    /// The elements, little-endian, C order.
    public var data: [UInt8]

    public var count: Int { shape.reduce(1, *) }

    /// A float64 array of `values` with `shape`.
    public init(float64 values: [Double], shape: [Int]) {
        precondition(values.count == shape.reduce(1, *), "shape does not match the values")
        dtype = .float64
        self.shape = shape
        data = []
        data.reserveCapacity(values.count * 8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { data += $0 } }
    }

    /// Reads `path`; errors name the file.
    public init(path: String) throws(ImportError) {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw ImportError(path, "cannot read the file")
        }
        try self.init(bytes: [UInt8](bytes), file: path)
    }

    public init(bytes: [UInt8], file: String) throws(ImportError) {
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw ImportError(file, "not a .npy file (bad magic)") }
        let major = bytes[6]
        let lengthBytes = major == 1 ? 2 : 4
        guard (1...3).contains(major), bytes.count >= 8 + lengthBytes else {
            throw ImportError(file, "unsupported .npy version \(major).\(bytes[7])")
        }
        var headerLength = 0
        for i in (0..<lengthBytes).reversed() { headerLength = headerLength << 8 | Int(bytes[8 + i]) }
        let start = 8 + lengthBytes
        guard headerLength <= bytes.count - start else { throw ImportError(file, "header runs past the end of the file") }
        let header = String(decoding: bytes[start..<start + headerLength], as: UTF8.self)

        let descr = try Self.quoted(after: "descr", in: header, file: file)
        guard let dtype = DType(rawValue: descr) else {
            throw ImportError(file, "dtype '\(descr)' is not supported (little-endian \(DType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let fortran = Self.token(after: "fortran_order", in: header), fortran.hasPrefix("False") else {
            throw ImportError(file, "the array is not in C order (fortran_order must be False)")
        }
        guard let shapeText = Self.token(after: "shape", in: header), shapeText.hasPrefix("("),
              let close = shapeText.firstIndex(of: ")") else {
            throw ImportError(file, "header has no shape")
        }
        var shape: [Int] = []
        for part in shapeText[shapeText.index(after: shapeText.startIndex)..<close].split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let d = Int(trimmed), d >= 0 else { throw ImportError(file, "bad shape '\(shapeText[...close])'") }
            shape.append(d)
        }
        var count = 1
        for d in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw ImportError(file, "shape \(Self.describe(shape)) is too large") }
            count = product
        }
        let dataStart = start + headerLength
        guard bytes.count - dataStart == count * dtype.size else {
            throw ImportError(file, "shape \(Self.describe(shape)) of \(descr) needs \(count * dtype.size) data bytes, the file has \(bytes.count - dataStart)")
        }
        self.dtype = dtype
        self.shape = shape
        self.data = Array(bytes[dataStart...])
    }

    /// The elements converted to Double (exact for every supported dtype but int64 beyond 2^53).
    public func doubles() -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(count)
        data.withUnsafeBytes { raw in
            for i in 0..<count {
                let at = i * dtype.size
                switch dtype {
                case .float32: out.append(Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))))
                case .float64: out.append(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))))
                case .int16: out.append(Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int16.self))))
                case .int32: out.append(Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self))))
                case .int64: out.append(Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self))))
                }
            }
        }
        return out
    }

    /// The `.npy` bytes (format 1.0; the header padded so the data starts 64-byte aligned).
    public func encoded() -> [UInt8] {
        let dims = shape.count == 1 ? "\(shape[0])," : shape.map(String.init).joined(separator: ", ")
        var header = "{'descr': '\(dtype.rawValue)', 'fortran_order': False, 'shape': (\(dims)), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        let n = header.utf8.count
        return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8) + data
    }

    /// "(1000, 23)" as NumPy prints a shape.
    public static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    /// The text after `'key':` in the header dict, leading spaces removed.
    private static func token(after key: String, in header: String) -> Substring? {
        for quote in ["'", "\""] {
            if let r = header.range(of: "\(quote)\(key)\(quote):") {
                return header[r.upperBound...].drop { $0 == " " }
            }
        }
        return nil
    }

    private static func quoted(after key: String, in header: String, file: String) throws(ImportError) -> String {
        guard let rest = token(after: key, in: header), let q = rest.first, q == "'" || q == "\"",
              let end = rest.dropFirst().firstIndex(of: q) else {
            throw ImportError(file, "header has no \(key)")
        }
        return String(rest[rest.index(after: rest.startIndex)..<end])
    }
}
