import Foundation
import GRDB
import ModelcFormat

extension Registry {
    /// Adds a key whose signatures this registry accepts. While at least one key is trusted,
    /// push and export refuse artifacts without an intact signature by a trusted key.
    /// Returns false when the key was already trusted.
    @discardableResult
    public func trust(_ key: ArtifactPublicKey) throws -> Bool {
        try write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM trusted_keys WHERE key_id = ?", arguments: [key.keyID]) == nil else { return false }
            try db.execute(sql: "INSERT INTO trusted_keys (key_id, public_key, added_by, added_at) VALUES (?, ?, ?, ?)",
                           arguments: [key.keyID, Data(key.rawBytes), RegistryClock.user, RegistryClock.now()])
            return true
        }
    }

    /// Stops trusting a key; with none left, signatures are no longer required.
    public func untrust(keyID: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM trusted_keys WHERE key_id = ?", arguments: [keyID])
            guard db.changesCount == 1 else { throw RegistryError.notFound("trusted key '\(keyID)'") }
        }
    }

    public func trustedKeys() throws -> [TrustedKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM trusted_keys ORDER BY added_at, key_id").map {
                TrustedKey(keyID: $0["key_id"], publicKey: ($0["public_key"] as Data).base64EncodedString(),
                           addedBy: $0["added_by"], addedAt: RegistryClock.iso8601($0["added_at"]))
            }
        }
    }

    static func trustedPublicKeys(_ db: Database) throws -> [ArtifactPublicKey] {
        try Data.fetchAll(db, sql: "SELECT public_key FROM trusted_keys").map { try ArtifactPublicKey(rawBytes: [UInt8]($0)) }
    }

    /// Refuses `bytes` unless no key is trusted or they carry an intact signature by a trusted key.
    static func enforceSignaturePolicy(_ bytes: [UInt8], what: String, _ db: Database) throws {
        let keys = try trustedPublicKeys(db)
        guard !keys.isEmpty else { return }
        do throws(SigningError) {
            try ArtifactSigner.verify(bytes, trusting: keys)
        } catch {
            throw RegistryError.signatureRefused(what: what, error)
        }
    }
}
