import Foundation
import GRDB
import ModelcFiles
import ModelcFormat

extension Registry {
    /// Writes the artifact `ref` names to `path`, atomically replacing it (a bot that watches
    /// the file sees the old or the new artifact, never a mix). Refused when the blob no
    /// longer matches its digest, or when the registry requires signatures and the artifact
    /// lacks an intact one by a trusted key.
    @discardableResult
    public func export(_ ref: ModelRef, to path: String) throws -> VersionRecord {
        let (record, keys) = try read { db in (try Self.record(db, ref), try Self.trustedPublicKeys(db)) }
        let bytes = try artifactBytes(record)
        if !keys.isEmpty {
            do throws(SigningError) {
                try ArtifactSigner.verify(bytes, trusting: keys)
            } catch {
                throw RegistryError.signatureRefused(what: record.ref, error)
            }
        }
        try AtomicFile.write(bytes, to: path)
        return record
    }

    /// The inspect summary of a version's artifact, read from its checked blob.
    public func summary(_ record: VersionRecord) throws -> ArtifactSummary {
        let bytes = try artifactBytes(record)
        do {
            return ArtifactSummary(try Artifact(bytes: bytes), file: blobPath(record), fileBytes: bytes.count)
        } catch {
            throw RegistryError.invalidArtifact(path: blobPath(record), reason: error.message)
        }
    }
}
