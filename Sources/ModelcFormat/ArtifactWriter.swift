import CZstd
import Foundation
import ModelcRuntime
import SwiftProtobuf

/// Encodes a model into `.modelc` bytes (Spec.md, "Framing"). Deterministic: the same model and
/// options give the same bytes, because the body is serialised with deterministic field and
/// map ordering and zstd is run single-threaded at a fixed level.
public enum ArtifactWriter {
    public static let defaultZstdLevel: Int32 = 19

    public static func encode(_ model: Modelc_Model, compression: BodyCompression = .zstd,
                              zstdLevel: Int32 = defaultZstdLevel) throws -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let body: [UInt8] = try model.serializedBytes(options: options)
        let stored = compression == .zstd ? try compress(body, level: zstdLevel) : body

        var header = Modelc_Header()
        header.formatMajor = ArtifactFormat.formatMajor
        header.formatMinor = ArtifactFormat.formatMinor
        header.requiredCapabilities = requiredCapabilities(of: model)
        header.bodyLength = UInt64(stored.count)
        header.bodyCrc32C = CRC32C.checksum(stored)
        header.bodyCompression = compression == .zstd ? .zstd : .none
        header.uncompressedLength = UInt64(body.count)
        return frame(header: header, stored: stored)
    }

    /// Magic, header length, header, stored body.
    public static func frame(header: Modelc_Header, stored: [UInt8]) -> [UInt8] {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        let headerBytes: [UInt8] = try! header.serializedBytes(options: options)  // a Header has no required fields
        var out = ArtifactFormat.magic
        out.reserveCapacity(ArtifactFormat.prefixLength + headerBytes.count + stored.count)
        let n = UInt32(headerBytes.count)
        out += [UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
        out += headerBytes
        out += stored
        return out
    }

    /// The capabilities the body uses, sorted (Spec.md §3.2).
    public static func requiredCapabilities(of model: Modelc_Model) -> [String] {
        var caps = Set<String>()
        for member in model.components.flatMap(\.members) {
            switch member.model {
            case .network: caps.insert(Capability.sequenceNetwork)
            case .trees(let e):
                caps.insert(Capability.treeEnsemble)
                if e.numClass >= 2 || e.link == .softmax { caps.insert(Capability.treeMulticlass) }
                if e.averageTrees { caps.insert(Capability.treeAverage) }
            case nil: break
            }
        }
        if model.components.contains(where: { $0.hasCalibrator }) { caps.insert(Capability.calibration) }
        if model.hasBlend && model.blend.mode == .blendSpecialists { caps.insert(Capability.specialistBlend) }
        for tensor in model.tensors {
            if tensor.dtype == .f16 { caps.insert(Capability.tensorF16) }
            if tensor.dtype == .int8 { caps.insert(Capability.tensorInt8) }
        }
        return caps.sorted()
    }

    private static func compress(_ body: [UInt8], level: Int32) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: ZSTD_compressBound(body.count))
        let n = out.withUnsafeMutableBytes { dst in
            body.withUnsafeBytes { src in ZSTD_compress(dst.baseAddress, dst.count, src.baseAddress, src.count, level) }
        }
        guard ZSTD_isError(n) == 0 else {
            throw FormatError.compression(String(cString: ZSTD_getErrorName(n)))
        }
        return Array(out[0..<n])
    }
}

/// Failures on the writer side of the format.
public enum FormatError: Error, CustomStringConvertible {
    case compression(String)

    public var description: String {
        switch self {
        case .compression(let reason): "zstd compression failed: \(reason)"
        }
    }
}
