import ModelcRuntime

/// Why an artifact's signature was not accepted, or a key could not be used. Each case's
/// description is the reason `modelc verify` prints.
public enum SigningError: Error, Equatable, CustomStringConvertible {
    /// The artifact itself is refused (framing, checksum, body), before any signature check.
    case invalidArtifact(String)
    case unsigned
    case unsupportedAlgorithm(String)
    /// The signature slot is filled inconsistently (wrong lengths, key id not of the key).
    case malformedSignature(String)
    /// Signed by a key that is not among those trusted.
    case untrustedKey(keyID: String)
    /// The signature does not match the header and body: changed after signing.
    case mismatch(keyID: String)
    case malformedKey(String)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidArtifact(let reason): reason
        case .unsigned: "artifact is not signed"
        case .unsupportedAlgorithm(let name): "unsupported signature algorithm '\(name)' (expected ed25519)"
        case .malformedSignature(let reason): "malformed signature: \(reason)"
        case .untrustedKey(let id): "signed by key \(id), which is not a trusted key"
        case .mismatch(let id):
            "signature by key \(id) does not match the artifact: its header or body was changed after signing"
        case .malformedKey(let reason): "malformed key: \(reason)"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }

    func naming(_ path: String) -> SigningError {
        if case .malformedKey(let reason) = self { return .io(path: path, reason: "malformed key: \(reason)") }
        return self
    }
}
