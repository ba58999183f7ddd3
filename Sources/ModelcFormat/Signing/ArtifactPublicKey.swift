import Crypto
import Foundation

/// An ed25519 public key that artifacts are checked against, with its key id (the hex of the
/// first 8 bytes of SHA-256 of the 32 key bytes, as in `Signature.key_id`).
///
/// File form (`NAME.pub`, one line): `modelc-ed25519 <base64 of the 32 key bytes> <key id>`.
public struct ArtifactPublicKey: Hashable, Sendable {
    public static let fileTag = "modelc-ed25519"

    public let rawBytes: [UInt8]

    public init(rawBytes: [UInt8]) throws(SigningError) {
        guard rawBytes.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: rawBytes)) != nil else {
            throw .malformedKey("an ed25519 public key is 32 bytes, got \(rawBytes.count)")
        }
        self.rawBytes = rawBytes
    }

    public var keyID: String { Self.keyID(of: rawBytes) }

    /// The key id of any 32 key bytes; also used to check the id stored in a signature.
    public static func keyID(of raw: [UInt8]) -> String {
        SHA256.hash(data: raw).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    var cryptoKey: Curve25519.Signing.PublicKey { try! Curve25519.Signing.PublicKey(rawRepresentation: rawBytes) }

    /// The key file's text.
    public var fileText: String { "\(Self.fileTag) \(Data(rawBytes).base64EncodedString()) \(keyID)\n" }

    /// Parses a key file's text; a key id written after the key must match the key.
    public init(fileText: String) throws(SigningError) {
        let fields = fileText.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 2 || fields.count == 3, fields[0] == Self.fileTag,
              let data = Data(base64Encoded: fields[1]) else {
            throw .malformedKey("expected one line '\(Self.fileTag) <base64 key> <key id>'")
        }
        try self.init(rawBytes: [UInt8](data))
        if fields.count == 3, fields[2] != keyID {
            throw .malformedKey("the key id \(fields[2]) written in the file is not the key's id \(keyID)")
        }
    }

    /// Reads a public key file; errors name the file.
    public init(path: String) throws(SigningError) {
        do throws(SigningError) {
            try self.init(fileText: try SigningKeyFiles.read(path))
        } catch {
            throw error.naming(path)
        }
    }
}
