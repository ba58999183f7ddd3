import Crypto
import Foundation

/// An ed25519 private key that signs artifacts.
///
/// File form (`NAME.key`, one line, mode 0600): `modelc-ed25519-private <base64 of the 32-byte seed>`.
/// The seed is the RFC 8032 private key; the public key is derived from it.
public struct ArtifactSigningKey {
    public static let fileTag = "modelc-ed25519-private"

    let key: Curve25519.Signing.PrivateKey

    public static func generate() -> ArtifactSigningKey { ArtifactSigningKey(key: .init()) }

    init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    public init(seed: [UInt8]) throws(SigningError) {
        guard seed.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw .malformedKey("an ed25519 private key is a 32-byte seed, got \(seed.count) bytes")
        }
        self.key = key
    }

    public var publicKey: ArtifactPublicKey { try! ArtifactPublicKey(rawBytes: [UInt8](key.publicKey.rawRepresentation)) }

    public var fileText: String { "\(Self.fileTag) \(key.rawRepresentation.base64EncodedString())\n" }

    public init(fileText: String) throws(SigningError) {
        let fields = fileText.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 2, fields[0] == Self.fileTag, let data = Data(base64Encoded: fields[1]) else {
            throw .malformedKey("expected one line '\(Self.fileTag) <base64 seed>'")
        }
        try self.init(seed: [UInt8](data))
    }

    /// Reads a private key file, refusing one that others can read (as ssh does): a key that
    /// leaked is no proof of who signed.
    public init(path: String) throws(SigningError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        guard info.st_mode & 0o077 == 0 else {
            throw .io(path: path, reason: "private key is accessible by others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)")
        }
        do throws(SigningError) {
            try self.init(fileText: try SigningKeyFiles.read(path))
        } catch {
            throw error.naming(path)
        }
    }

    func sign(_ message: [UInt8]) -> [UInt8] {
        [UInt8](try! key.signature(for: message))  // BoringSSL's ED25519_sign cannot fail for a valid key
    }
}
