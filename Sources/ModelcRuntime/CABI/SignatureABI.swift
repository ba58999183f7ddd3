import CModelcKernels

// The C ABI for signature checks by the host (modelc.h, "Signatures"; Spec.md §12.5).

/// Checks the framing, fills `signature` with the stored signature slot and writes `H'` into
/// `unsignedHeader`. Returns 0 or an `MC_E_*` code with the reason in `err`.
@c @implementation public func mc_artifact_signature(
    _ bytes: UnsafePointer<UInt8>?, _ length: Int, _ signature: UnsafeMutablePointer<mc_signature>?,
    _ unsignedHeader: UnsafeMutablePointer<UInt8>?, _ capacity: Int, _ unsignedHeaderLength: UnsafeMutablePointer<Int>?,
    _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let signature, let unsignedHeaderLength, length >= 0, bytes != nil || length == 0,
          unsignedHeader != nil || capacity == 0 else {
        writeError("mc_artifact_signature: null bytes or output pointer", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    signature.pointee = mc_signature()
    unsignedHeaderLength.pointee = 0
    let input = length == 0 ? [] : Array(UnsafeBufferPointer(start: bytes, count: length))
    let parts: SignatureParts
    do {
        parts = try SignatureParts(input)
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
    unsignedHeaderLength.pointee = parts.unsignedHeader.count
    guard parts.unsignedHeader.count <= capacity, let unsignedHeader else {
        writeError("mc_artifact_signature: the header without its signature is \(parts.unsignedHeader.count) bytes, the buffer holds \(capacity)",
                   to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    for (i, byte) in parts.unsignedHeader.enumerated() { unsignedHeader[i] = byte }
    var s = mc_signature()
    s.body_offset = UInt64(parts.bodyOffset)
    if let stored = parts.signature {
        s.present = 1
        s.algorithm_length = UInt32(stored.algorithm.count)
        s.key_id_length = UInt32(stored.keyID.count)
        s.public_key_length = UInt32(stored.publicKey.count)
        s.value_length = UInt32(stored.value.count)
        withUnsafeMutableBytes(of: &s.algorithm) { copyPrefix(stored.algorithm, into: $0, terminated: true) }
        withUnsafeMutableBytes(of: &s.key_id) { copyPrefix(stored.keyID, into: $0, terminated: true) }
        withUnsafeMutableBytes(of: &s.public_key) { copyPrefix(stored.publicKey, into: $0, terminated: false) }
        withUnsafeMutableBytes(of: &s.value) { copyPrefix(stored.value, into: $0, terminated: false) }
    }
    signature.pointee = s
    return 0
}

/// Copies as many of `bytes` as fit (one byte fewer when a NUL must end them); the rest stays 0.
private func copyPrefix(_ bytes: [UInt8], into out: UnsafeMutableRawBufferPointer, terminated: Bool) {
    let n = min(bytes.count, out.count - (terminated ? 1 : 0))
    for i in 0..<n { out[i] = bytes[i] }
}
