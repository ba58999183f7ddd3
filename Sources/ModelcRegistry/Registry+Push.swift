import Foundation
import GRDB
import ModelcFormat

/// What a push did.
public struct PushResult: Codable, Equatable, Sendable {
    public var record: VersionRecord
    /// False when a blob with the same bytes was already stored.
    public var newBlob: Bool
}

extension Registry {
    /// Pushes the artifact at `file` as the next version of `name` (default: the artifact's
    /// model name). The artifact is validated completely; the blob is made durable before the
    /// index row that points at it is committed, and the version number is assigned inside
    /// that write transaction, so concurrent pushes get distinct, gap-free numbers and a push
    /// killed at any point leaves no visible version.
    public func push(file: String, name: String? = nil, parent: Int? = nil) throws -> PushResult {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw RegistryError.io(path: file, reason: "cannot read the artifact")
        }
        let bytes = [UInt8](data)
        let artifact: Artifact
        do {
            artifact = try Artifact(bytes: bytes)
        } catch {
            throw RegistryError.invalidArtifact(path: file, reason: error.message)
        }
        let info = artifact.model.info
        let name = name ?? info.name
        do throws(RegistryError) {
            try RegistryNames.checkModelName(name)
        } catch {
            guard case .invalidName(_, let reason) = error else { throw error }
            throw RegistryError.invalidName(name, reason: "\(reason); give the registry name with --name")
        }
        try read { db in try Self.enforceSignaturePolicy(bytes, what: file, db) }  // refuse before storing anything

        let (sha, newBlob) = try blobs.put(bytes)
        TestPause.at("blob-stored")

        var metrics: [String: Double] = [:]
        for m in artifact.model.card.overall where m.value.isFinite && metrics["\(m.component).\(m.name)"] == nil {
            metrics["\(m.component).\(m.name)"] = m.value
        }
        let signer = ArtifactSigner.intactSigner(of: bytes)
        let record = try write { db in
            try Self.enforceSignaturePolicy(bytes, what: file, db)  // the trusted keys may have changed meanwhile
            if !blobs.has(sha, size: bytes.count) { try blobs.put(bytes) }  // a concurrent gc may have removed it
            let latest = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM versions WHERE name = ?", arguments: [name])
            let version = (latest ?? 0) + 1
            if let parent {
                guard try Bool.fetchOne(db, sql: "SELECT 1 FROM versions WHERE name = ? AND version = ?", arguments: [name, parent]) != nil else {
                    throw RegistryError.notFound("parent version '\(name)@\(parent)'")
                }
            }
            try db.execute(sql: """
                INSERT INTO versions (name, version, sha256, size, parent, model_name, model_version, data_digest,
                                      config_digest, producer_version, signed_by, pushed_by, pushed_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [name, version, sha, bytes.count, parent ?? latest, info.name, info.version, info.dataDigest,
                                 info.configDigest, info.producerVersion, signer, RegistryClock.user, RegistryClock.now()])
            for (metric, value) in metrics {
                try db.execute(sql: "INSERT INTO metrics (name, version, metric, value) VALUES (?, ?, ?, ?)",
                               arguments: [name, version, metric, value])
            }
            TestPause.at("row-inserted")
            return try Self.record(db, ModelRef(name: name, selector: .version(version)))
        }
        return PushResult(record: record, newBlob: newBlob)
    }
}
