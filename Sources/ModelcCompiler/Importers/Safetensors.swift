import Foundation
import ModelcFormat
import ModelcRuntime

/// A safetensors file (8-byte little-endian header length, a JSON header naming each tensor's
/// dtype, shape and byte range, then the data). F32, F16 and BF16 tensors are read as f32.
public struct Safetensors {
    public struct Tensor {
        public var shape: [Int]
        public var values: [Float]
    }

    public let path: String
    public let tensors: [String: Tensor]
    /// The header's `__metadata__` string map.
    public let metadata: [String: String]

    public init(path: String) throws {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ImportError(path, "cannot read: \((error as NSError).localizedDescription)")
        }
        try self.init(bytes: bytes, path: path)
    }

    /// Parses safetensors bytes held in memory (a freshly trained network); `path` names them in errors.
    public init(bytes: [UInt8], path: String) throws {
        self.path = path
        guard bytes.count >= 8 else { throw ImportError(path, "not a safetensors file (\(bytes.count) bytes)") }
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        guard headerLength > 0, headerLength <= bytes.count - 8 else {
            throw ImportError(path, "header length \(headerLength) does not fit a \(bytes.count)-byte file")
        }
        let json = try? JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)]))
        guard let header = json as? [String: Any] else { throw ImportError(path, "header is not a JSON object") }
        let dataStart = 8 + headerLength
        var tensors: [String: Tensor] = [:]
        var metadata: [String: String] = [:]
        for (name, entry) in header {
            if name == "__metadata__" {
                metadata = entry as? [String: String] ?? [:]
                continue
            }
            guard let e = entry as? [String: Any], let dtype = e["dtype"] as? String,
                  let shape = e["shape"] as? [Int], let offsets = e["data_offsets"] as? [Int], offsets.count == 2 else {
                throw ImportError(path, "tensor '\(name)': header entry lacks dtype, shape or data_offsets")
            }
            let width: Int
            switch dtype {
            case "F32": width = 4
            case "F16", "BF16": width = 2
            default: throw ImportError(path, "tensor '\(name)': dtype \(dtype) is not supported (F32, F16, BF16)")
            }
            let count = shape.reduce(1, *)
            let (start, end) = (dataStart + offsets[0], dataStart + offsets[1])
            guard shape.allSatisfy({ $0 >= 0 }), offsets[0] >= 0, end - start == count * width, end <= bytes.count else {
                throw ImportError(path, "tensor '\(name)': shape \(shape) of \(dtype) does not match bytes \(offsets[0])..<\(offsets[1])")
            }
            let values: [Float] = (0..<count).map { i in
                let p = start + i * width
                switch dtype {
                case "F32":
                    return Float(bitPattern: UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24)
                case "F16":
                    return Float(Float16(bitPattern: UInt16(bytes[p]) | UInt16(bytes[p + 1]) << 8))
                default:
                    return Float(bitPattern: (UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8) << 16)
                }
            }
            tensors[name] = Tensor(shape: shape, values: values)
        }
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor `name` with the expected shape, or an error naming the file and tensor.
    public func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        guard let t = tensors[name] else {
            let near = tensors.keys.sorted().filter { $0.hasPrefix(name.split(separator: ".").first.map(String.init) ?? "") }
            throw ImportError(path, "no tensor '\(name)'" + (near.isEmpty ? "" : " (found: \(near.prefix(8).joined(separator: ", ")))"))
        }
        guard t.shape == shape else {
            throw ImportError(path, "tensor '\(name)' has shape \(t.shape), expected \(shape)")
        }
        return t.values
    }
}
