/// Element types a tensor may be stored in (Spec.md, "Tensors").
public enum TensorDType: UInt32, Sendable {
    case f32 = 1
    case f16 = 2
    case int8 = 3

    public var byteWidth: Int {
        switch self {
        case .f32: 4
        case .f16: 2
        case .int8: 1
        }
    }

    public var name: String {
        switch self {
        case .f32: "f32"
        case .f16: "f16"
        case .int8: "int8"
        }
    }
}

/// A tensor as stored in the artifact: checked so that its data and scales match its shape.
public struct TensorData: Sendable {
    public let name: String
    public let dtype: TensorDType
    public let shape: [Int]
    public let data: [UInt8]
    /// One per row (shape[0]) for int8, empty otherwise.
    public let scales: [Float]

    public var elementCount: Int { shape.reduce(1, *) }

    /// Validates the tensor's declared shape against its bytes; names the tensor when it refuses.
    public init(name: String, dtypeRaw: UInt32, shape rawShape: [UInt64], data: [UInt8], scales: [Float])
        throws(ModelcError)
    {
        guard let dtype = TensorDType(rawValue: dtypeRaw) else {
            throw ModelcError(.invalidTensor, "tensor '\(name)': unknown dtype \(dtypeRaw)")
        }
        guard !rawShape.isEmpty else { throw ModelcError(.invalidTensor, "tensor '\(name)': empty shape") }
        guard rawShape.count <= ArtifactLimits.maxTensorRank else {
            throw ModelcError(.limitExceeded,
                "tensor '\(name)': \(rawShape.count) dimensions exceed the limit of \(ArtifactLimits.maxTensorRank)")
        }
        var count: UInt64 = 1
        var shape: [Int] = []
        for d in rawShape {
            // Each dimension on its own too: after a zero dimension the product stays 0.
            let (product, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow, d <= ArtifactLimits.maxTensorElements, product <= ArtifactLimits.maxTensorElements else {
                throw ModelcError(.invalidTensor, "tensor '\(name)': shape \(describe(rawShape)) has too many elements")
            }
            count = product
            shape.append(Int(d))
        }
        let expected = Int(count) * dtype.byteWidth
        guard data.count == expected else {
            throw ModelcError(.invalidTensor,
                "tensor '\(name)': shape \(describe(rawShape)) of \(dtype.name) needs \(expected) bytes, data has \(data.count)")
        }
        if let element = firstNonFinite(data, dtype) {
            throw ModelcError(.invalidTensor, "tensor '\(name)': element \(element) is not finite (NaN or infinity)")
        }
        if dtype == .int8 {
            guard scales.count == shape[0] else {
                throw ModelcError(.invalidTensor,
                    "tensor '\(name)': int8 needs one scale per row (\(shape[0])), found \(scales.count)")
            }
            for (row, s) in scales.enumerated() where !(s.isFinite && s > 0) {
                throw ModelcError(.invalidTensor, "tensor '\(name)': scale of row \(row) is not a finite positive number")
            }
        } else if !scales.isEmpty {
            throw ModelcError(.invalidTensor, "tensor '\(name)': \(dtype.name) tensors carry no scales, found \(scales.count)")
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.data = data
        self.scales = scales
    }
}

extension TensorData {
    /// A tensor derived from a validated one (a slice or a reordering), consistent by construction.
    init(checked name: String, dtype: TensorDType, shape: [Int], data: [UInt8], scales: [Float]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.data = data
        self.scales = scales
    }
}

/// The index of the first NaN or infinite element of little-endian f32 / f16 data (all exponent
/// bits set), or nil; int8 values are always finite.
private func firstNonFinite(_ data: [UInt8], _ dtype: TensorDType) -> Int? {
    switch dtype {
    case .f32:
        for i in 0..<(data.count / 4) where data[4 * i + 3] & 0x7F == 0x7F && data[4 * i + 2] & 0x80 != 0 { return i }
    case .f16:
        for i in 0..<(data.count / 2) where data[2 * i + 1] & 0x7C == 0x7C { return i }
    case .int8:
        break
    }
    return nil
}

func describe(_ shape: [UInt64]) -> String {
    var s = "["
    for (i, d) in shape.enumerated() { s += (i == 0 ? "" : ", ") + "\(d)" }
    return s + "]"
}
