import Crypto
import Foundation
import ModelcRuntime
import SwiftProtobuf

/// The exact bytes an artifact signature covers (Spec.md §1.3):
///
///     "modelc-signature-v1" 0x00 || Header with `signature` cleared, encoded deterministically || SHA-256(stored body)
///
/// The header part covers the format version, capabilities, lengths, checksum and compression;
/// the digest covers every stored body byte. The digest has a fixed length, so the
/// concatenation is unambiguous.
public enum SignedMessage {
    /// Domain separation: a modelc signature can never be replayed as a signature of anything else.
    public static let domain: [UInt8] = Array("modelc-signature-v1".utf8) + [0]

    public static func bytes(header: Modelc_Header, stored: ArraySlice<UInt8>) -> [UInt8] {
        domain + header.unsignedBytes + Array(SHA256.hash(data: stored))
    }
}

/// An artifact split at its framing boundary (Spec.md §1): the header, decoded with
/// swift-protobuf so it can be re-encoded, and the stored body bytes exactly as in the file.
struct ArtifactParts {
    var header: Modelc_Header
    let stored: ArraySlice<UInt8>

    /// Checks the framing with the runtime's header reader (magic, lengths, version,
    /// capabilities) before anything is decoded.
    init(_ bytes: [UInt8]) throws(ModelcError) {
        let frame = try ArtifactFrame.readHeader(bytes)
        do {
            header = try Modelc_Header(serializedBytes: bytes[ArtifactFormat.prefixLength..<frame.bodyOffset])
        } catch {
            throw ModelcError(.invalidHeader, "header is not a valid Header message: \(error)")
        }
        stored = bytes[frame.bodyOffset...]
    }

    var framed: [UInt8] { ArtifactWriter.frame(header: header, stored: Array(stored)) }
}
