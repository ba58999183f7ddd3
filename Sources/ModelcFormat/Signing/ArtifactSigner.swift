import Crypto
import Foundation
import ModelcRuntime

/// Signs artifacts and checks their signatures (Spec.md §1.3). A signature lives in the
/// header's `signature` slot and covers `SignedMessage.bytes`: the rest of the header and the
/// whole stored body, so changing either invalidates it.
public enum ArtifactSigner {
    public static let algorithm = "ed25519"

    /// Returns `artifact` with its signature slot filled (replacing any earlier signature).
    /// The artifact is validated completely first: a signature vouches for a readable model.
    public static func sign(_ artifact: [UInt8], with key: ArtifactSigningKey) throws(SigningError) -> [UInt8] {
        var parts = try parts(of: artifact)
        do throws(ModelcError) {
            _ = try Artifact(bytes: artifact)
        } catch {
            throw .invalidArtifact(error.message)
        }
        let message = SignedMessage.bytes(header: parts.header, stored: parts.stored)
        var signature = Modelc_Signature()
        signature.algorithm = algorithm
        signature.publicKey = Data(key.publicKey.rawBytes)
        signature.keyID = key.publicKey.keyID
        signature.value = Data(key.sign(message))
        parts.header.signature = signature
        return parts.framed
    }

    /// Checks that `artifact` carries an intact signature by one of `trusted` and returns that
    /// key. With `trusted` nil, any intact signature is accepted (integrity, not authorship).
    @discardableResult
    public static func verify(_ artifact: [UInt8], trusting trusted: [ArtifactPublicKey]?) throws(SigningError) -> ArtifactPublicKey {
        let parts = try parts(of: artifact)
        guard parts.header.hasSignature else { throw .unsigned }
        let s = parts.header.signature
        guard s.algorithm == algorithm else { throw .unsupportedAlgorithm(s.algorithm) }
        guard s.value.count == 64 else { throw .malformedSignature("value is \(s.value.count) bytes, ed25519 signatures are 64") }
        let key: ArtifactPublicKey
        do {
            key = try ArtifactPublicKey(rawBytes: [UInt8](s.publicKey))
        } catch {
            throw .malformedSignature("public key is \(s.publicKey.count) bytes, ed25519 keys are 32")
        }
        guard s.keyID == key.keyID else {
            throw .malformedSignature("key id \(s.keyID) is not the id \(key.keyID) of the public key it carries")
        }
        if let trusted, !trusted.contains(key) { throw .untrustedKey(keyID: key.keyID) }
        let message = SignedMessage.bytes(header: parts.header, stored: parts.stored)
        guard key.cryptoKey.isValidSignature(s.value, for: message) else { throw .mismatch(keyID: key.keyID) }
        return key
    }

    /// The key id of an intact signature, or nil for an unsigned artifact or a broken signature.
    public static func intactSigner(of artifact: [UInt8]) -> String? {
        (try? verify(artifact, trusting: nil))?.keyID
    }

    private static func parts(of artifact: [UInt8]) throws(SigningError) -> ArtifactParts {
        do throws(ModelcError) {
            return try ArtifactParts(artifact)
        } catch {
            throw .invalidArtifact(error.message)
        }
    }
}
