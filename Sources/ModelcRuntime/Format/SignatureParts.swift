import CModelcSchema
import CProtobufC

/// What checking an artifact's signature needs (Spec.md §12.1, §12.5), for a verifier outside the
/// runtime: the runtime holds no cryptography, but it is the one reader of the header, so it gives
/// `H'` (the header re-encoded without its signature) and the signature slot as stored.
public struct SignatureParts {
    /// The signature slot's fields exactly as stored; a verifier judges their lengths.
    public struct Stored {
        public var algorithm: [UInt8]
        public var keyID: [UInt8]
        public var publicKey: [UInt8]
        public var value: [UInt8]
    }

    /// `H'`: the header with field 8 removed, encoded by protobuf-c (known fields in field-number
    /// order, defaults omitted, unknown fields after them in their original order), the bytes
    /// swift-protobuf's deterministic encoder gives for the same message.
    public var unsignedHeader: [UInt8]
    /// Nil when the artifact is unsigned.
    public var signature: Stored?
    /// The stored body is `bytes[bodyOffset...]`.
    public var bodyOffset: Int

    /// Checks the framing (Spec.md §1.2 steps 1–7, the errors of `ArtifactFrame.readHeader`) and
    /// splits out what the signature covers.
    public init(_ bytes: [UInt8]) throws(ModelcError) {
        let (header, parts) = try ArtifactFrame.readHeader(bytes) { msg in
            (Self.packedWithoutSignature(msg), msg.pointee.signature.map { Stored($0.pointee) })
        }
        unsignedHeader = parts.0
        signature = parts.1
        bodyOffset = header.bodyOffset
    }

    /// Packs the message with its signature slot empty, then puts the slot back so the message
    /// is freed whole.
    private static func packedWithoutSignature(_ msg: UnsafeMutablePointer<Modelc__Header>) -> [UInt8] {
        let signature = msg.pointee.signature
        msg.pointee.signature = nil
        defer { msg.pointee.signature = signature }
        var out = [UInt8](repeating: 0, count: modelc__header__get_packed_size(msg))
        let written = out.withUnsafeMutableBufferPointer { modelc__header__pack(msg, $0.baseAddress) }
        return Array(out[0..<written])
    }
}

extension SignatureParts.Stored {
    init(_ s: Modelc__Signature) {
        algorithm = cStringBytes(s.algorithm)
        keyID = cStringBytes(s.key_id)
        publicKey = binaryBytes(s.public_key)
        value = binaryBytes(s.value)
    }
}

/// A protobuf-c string's bytes (NUL-free: `checkUTF8` refused any NUL before this is read).
private func cStringBytes(_ p: UnsafeMutablePointer<CChar>?) -> [UInt8] {
    guard let p else { return [] }
    var out: [UInt8] = []
    var i = 0
    while p[i] != 0 {
        out.append(UInt8(bitPattern: p[i]))
        i += 1
    }
    return out
}

private func binaryBytes(_ b: ProtobufCBinaryData) -> [UInt8] {
    guard let data = b.data, b.len > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: b.len))
}
