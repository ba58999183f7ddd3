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

extension Modelc_Feature {
    /// The schema form of a runtime feature definition.
    public init(_ definition: FeatureDefinition) {
        self.init()
        name = definition.name
        kind = Modelc_FeatureKind(rawValue: Int(definition.kind.rawValue)) ?? .featureUnspecified
        params = definition.params
    }
}
