import CModelcSchema
import CProtobufC
import CZstd

/// Reads the framing of an artifact: magic, header, body checksum, decompression. The one
/// implementation of these checks; the Swift writer side calls it too.
public enum ArtifactFrame {
    /// Validates `bytes` as an artifact and returns its header and decompressed body.
    /// The header is checked completely before the body is touched.
    public static func open(_ bytes: [UInt8]) throws(ModelcError) -> (header: ArtifactHeader, body: [UInt8]) {
        let header = try readHeader(bytes)
        let stored = bytes[header.bodyOffset...]
        let crc = stored.withUnsafeBytes { CRC32C.checksum($0) }
        guard crc == header.bodyCRC32C else {
            throw ModelcError(.checksumMismatch,
                "body checksum mismatch: header says crc32c \(hex(header.bodyCRC32C)), body has \(hex(crc)); the file is corrupt")
        }
        switch header.compression {
        case .none:
            return (header, Array(stored))
        case .zstd:
            return (header, try decompress(stored, expected: header.uncompressedLength))
        }
    }

    /// Validates the magic and the header, and that the body has exactly the declared length.
    public static func readHeader(_ bytes: [UInt8]) throws(ModelcError) -> ArtifactHeader {
        try readHeader(bytes, inspecting: { _ in () }).header
    }

    /// `readHeader`, also handing the decoded header message to `inspect` while it is alive (for
    /// what `ArtifactHeader` leaves out, such as the signature slot); its result is returned only
    /// when every check passed.
    static func readHeader<R>(
        _ bytes: [UInt8], inspecting inspect: (UnsafeMutablePointer<Modelc__Header>) -> R
    ) throws(ModelcError) -> (header: ArtifactHeader, inspected: R) {
        let magic = ArtifactFormat.magic
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            if bytes.count < magic.count && Array(magic[0..<bytes.count]) == bytes {
                throw ModelcError(.truncatedHeader, "truncated header: file has \(bytes.count) bytes, the magic alone is 8")
            }
            throw ModelcError(.badMagic, "not a modelc artifact: the first 8 bytes are not the modelc magic")
        }
        guard bytes.count >= ArtifactFormat.prefixLength else {
            throw ModelcError(.truncatedHeader, "truncated header: file ends at byte \(bytes.count), inside the header length field")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        guard headerLength > 0, headerLength <= ArtifactFormat.maxHeaderLength else {
            throw ModelcError(.invalidHeader, "invalid header length \(headerLength) (allowed 1...\(ArtifactFormat.maxHeaderLength))")
        }
        let bodyOffset = ArtifactFormat.prefixLength + headerLength
        guard bytes.count >= bodyOffset else {
            throw ModelcError(.truncatedHeader,
                "truncated header: \(headerLength) header bytes declared, file ends \(bodyOffset - bytes.count) bytes short")
        }
        // The parse allocator is the body's (a header is at most 64 KiB, so the budget never binds):
        // its block sizes let the string check see NUL bytes.
        let budget = ArtifactLimits.parseAllowance + ArtifactLimits.parseBytesPerBodyByte * headerLength
        let (decoded, inspected) = try ParseBudget.withAllocator(bytes: budget) { (allocator, _) throws(ModelcError) -> (ArtifactHeader, R) in
            try bytes.withUnsafeBufferPointer { (buf) throws(ModelcError) -> (ArtifactHeader, R) in
                let start = buf.baseAddress! + ArtifactFormat.prefixLength
                guard withUnsafePointer(to: modelc__header__descriptor, { modelc_wire_valid($0, start, headerLength) }) != 0,
                      let msg = modelc__header__unpack(allocator, headerLength, start) else {
                    throw ModelcError(.invalidHeader, "header is not a valid Header message (\(headerLength) bytes at offset 12)")
                }
                defer { modelc__header__free_unpacked(msg, allocator) }
                try checkUTF8(msg, .invalidHeader, "header")
                return (try convert(msg.pointee), inspect(msg))
            }
        }
        var header = decoded
        header.bodyOffset = bodyOffset
        try checkVersionAndCapabilities(header)
        let available = UInt64(bytes.count - bodyOffset)
        guard available >= header.bodyLength else {
            throw ModelcError(.truncatedBody,
                "truncated body: header declares \(header.bodyLength) bytes, file holds \(available)")
        }
        guard available == header.bodyLength else {
            throw ModelcError(.invalidHeader,
                "\(available - header.bodyLength) unexpected bytes after the \(header.bodyLength)-byte body")
        }
        return (header, inspected)
    }

    private static func convert(_ h: Modelc__Header) throws(ModelcError) -> ArtifactHeader {
        guard let compression = BodyCompression(rawValue: h.body_compression.rawValue) else {
            throw ModelcError(.invalidHeader, "unknown body compression \(h.body_compression.rawValue)")
        }
        // Names, non-empty, sorted by their bytes and each listed once (Spec.md §1.1): a list that
        // is not is damaged or forged, and a reader must not guess what it meant.
        var capabilities: [String] = []
        for i in 0..<h.n_required_capabilities {
            let name = String(cString: h.required_capabilities[i]!)
            guard !name.isEmpty else { throw ModelcError(.invalidHeader, "required capability \(i) is an empty name") }
            if let previous = capabilities.last, !previous.utf8.lexicographicallyPrecedes(name.utf8) {
                throw ModelcError(.invalidHeader, sameBytes(previous, name)
                    ? "required capability '\(name)' is listed twice"
                    : "required capabilities are not sorted: '\(previous)' comes before '\(name)'")
            }
            capabilities.append(name)
        }
        return ArtifactHeader(
            formatMajor: h.format_major, formatMinor: h.format_minor, requiredCapabilities: capabilities,
            bodyLength: h.body_length, bodyCRC32C: h.body_crc32c, compression: compression,
            uncompressedLength: h.uncompressed_length, isSigned: h.signature != nil, bodyOffset: 0)
    }

    private static func checkVersionAndCapabilities(_ h: ArtifactHeader) throws(ModelcError) {
        let reader = "\(ArtifactFormat.formatMajor).\(ArtifactFormat.formatMinor)"
        guard h.formatMajor == ArtifactFormat.formatMajor else {
            throw ModelcError(.unsupportedFormat,
                "artifact format \(h.formatMajor).\(h.formatMinor) is not readable by this runtime (format \(reader)); "
                + (h.formatMajor > ArtifactFormat.formatMajor ? "upgrade modelc" : "re-export the model"))
        }
        for capability in h.requiredCapabilities
        where !ArtifactFormat.knownCapabilities.contains(where: { sameBytes($0, capability) }) {
            throw ModelcError(.missingCapability,
                "artifact requires capability '\(capability)', which this runtime (format \(reader)) does not have")
        }
        guard h.bodyLength <= ArtifactFormat.maxBodyLength, h.uncompressedLength <= ArtifactFormat.maxBodyLength else {
            throw ModelcError(.limitExceeded, "body of \(max(h.bodyLength, h.uncompressedLength)) bytes exceeds the limit of \(ArtifactFormat.maxBodyLength)")
        }
        let expansion = ArtifactLimits.compressionAllowance + ArtifactLimits.maxCompressionRatio * h.bodyLength
        guard h.uncompressedLength <= expansion else {
            throw ModelcError(.limitExceeded,
                "body of \(h.bodyLength) bytes declares \(h.uncompressedLength) bytes decompressed, more than the limit of \(expansion) (\(ArtifactLimits.maxCompressionRatio) per stored byte + 1 MiB)")
        }
        if h.compression == .none && h.uncompressedLength != h.bodyLength {
            throw ModelcError(.invalidHeader,
                "uncompressed body length \(h.uncompressedLength) differs from the stored length \(h.bodyLength) of an uncompressed body")
        }
    }

    private static func decompress(_ stored: ArraySlice<UInt8>, expected: UInt64) throws(ModelcError) -> [UInt8] {
        let frameSize = stored.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard frameSize == expected else {
            throw ModelcError(.decompressionFailed,
                "zstd frame declares \(frameSize > UInt64(Int64.max) ? "an unknown" : "\(frameSize)") content bytes, header says \(expected)")
        }
        var out = [UInt8](repeating: 0, count: Int(expected))
        let written = out.withUnsafeMutableBytes { dst in
            stored.withUnsafeBytes { src in ZSTD_decompress(dst.baseAddress, dst.count, src.baseAddress, src.count) }
        }
        guard ZSTD_isError(written) == 0, written == Int(expected) else {
            let reason = ZSTD_isError(written) != 0 ? String(cString: ZSTD_getErrorName(written)) : "\(written) bytes"
            throw ModelcError(.decompressionFailed, "zstd body did not decompress to \(expected) bytes: \(reason)")
        }
        return out
    }
}

func hex(_ v: UInt32) -> String {
    let digits: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
    var s = "0x"
    for shift in stride(from: 28, through: 0, by: -4) { s.append(digits[Int((v >> UInt32(shift)) & 0xF)]) }
    return s
}
