import Foundation
import ModelcRuntime

extension Modelc_Tensor {
    /// An f32 tensor, little-endian (Spec.md, "Tensors").
    public init(name: String, shape: [Int], f32 values: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "tensor \(name): shape \(shape) does not hold \(values.count) values")
        self.init()
        self.name = name
        dtype = .f32
        self.shape = shape.map(UInt64.init)
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 4)
        for v in values {
            let b = v.bitPattern.littleEndian
            bytes += [UInt8(b & 0xFF), UInt8(b >> 8 & 0xFF), UInt8(b >> 16 & 0xFF), UInt8(b >> 24)]
        }
        data = Data(bytes)
    }

    /// An int8 tensor with one scale per row.
    public init(name: String, shape: [Int], int8 values: [Int8], rowScales: [Float]) {
        precondition(shape.reduce(1, *) == values.count, "tensor \(name): shape \(shape) does not hold \(values.count) values")
        self.init()
        self.name = name
        dtype = .int8
        self.shape = shape.map(UInt64.init)
        data = Data(values.map { UInt8(bitPattern: $0) })
        scales = rowScales
    }
}

extension Modelc_Tensor {
    /// The values as f32 (f16 widened, int8 dequantised); refuses data that does not fit the shape.
    public func f32Values() throws -> [Float] {
        let count = shape.reduce(1) { $0 * Int($1) }
        let bytes = [UInt8](data)
        switch dtype {
        case .f32 where bytes.count == 4 * count:
            return (0..<count).map { i in
                Float(bitPattern: UInt32(bytes[4 * i]) | UInt32(bytes[4 * i + 1]) << 8 | UInt32(bytes[4 * i + 2]) << 16 | UInt32(bytes[4 * i + 3]) << 24)
            }
        case .f16 where bytes.count == 2 * count:
            return (0..<count).map { i in Float(Float16(bitPattern: UInt16(bytes[2 * i]) | UInt16(bytes[2 * i + 1]) << 8)) }
        case .int8 where bytes.count == count && !shape.isEmpty && scales.count == Int(shape[0]):
            let perRow = count / max(Int(shape[0]), 1)
            return (0..<count).map { i in Float(Int8(bitPattern: bytes[i])) * scales[i / perRow] }
        default:
            throw TensorDecodingError(tensor: name, reason: "\(dtype) data of \(bytes.count) bytes does not fit shape \(shape)")
        }
    }

    /// An f16 tensor (round to nearest even).
    public init(name: String, shape: [Int], f16 values: [Float]) {
        self.init()
        self.name = name
        dtype = .f16
        self.shape = shape.map(UInt64.init)
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 2)
        for v in values {
            let b = Float16(v).bitPattern
            bytes += [UInt8(b & 0xFF), UInt8(b >> 8)]
        }
        data = Data(bytes)
    }
}

/// A tensor's bytes do not match its dtype and shape.
public struct TensorDecodingError: Error, CustomStringConvertible {
    public let tensor: String
    public let reason: String
    public var description: String { "tensor '\(tensor)': \(reason)" }
}

extension Modelc_Feature {
    /// The schema form of a runtime feature definition.
    public init(_ definition: FeatureDefinition) {
        self.init()
        name = definition.name
        kind = Modelc_FeatureKind(rawValue: Int(definition.kind.rawValue)) ?? .featureUnspecified
        params = definition.params
    }
}
