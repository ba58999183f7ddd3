import Foundation
import GRDB
import ModelcFormat

/// What `verify` found. `ok` is false for real damage: an index row whose blob is missing or
/// wrong, a blob whose bytes do not hash to its name, a stray file, or a failed SQLite
/// integrity check; and, while the registry requires signatures, for versions export would
/// refuse: unsigned, signed by an untrusted key, or with a signature that does not verify.
/// Unreferenced blobs and temporary files (left by interrupted pushes) are listed for `gc` but
/// are not damage.
public struct VerifyReport: Codable, Equatable, Sendable {
    public var ok: Bool
    public var versionsChecked: Int
    public var blobsChecked: Int
    public var problems: [String]
    /// True while at least one key is trusted.
    public var signaturesRequired: Bool
    /// `NAME@VERSION: reason` for each version whose intact blob lacks a valid trusted signature.
    public var signatureProblems: [String]
    public var unreferencedBlobs: [String]
    public var temporaryFiles: [String]
}

/// What `gc` removed, or would remove in a dry run.
public struct GarbageReport: Codable, Equatable, Sendable {
    public var applied: Bool
    public var blobs: [String]
    public var temporaryFiles: [String]
    public var bytes: Int
}

extension Registry {
    /// Checks every blob's digest against its name, every index row against its blob, and
    /// SQLite's own integrity check; while keys are trusted, also every version's signature.
    public func verify() throws -> VerifyReport {
        var problems: [String] = []
        let (rows, integrity, keys) = try read { db in
            (try Row.fetchAll(db, sql: "SELECT name, version, sha256, size FROM versions ORDER BY name, version"),
             try String.fetchAll(db, sql: "PRAGMA integrity_check"),
             try Self.trustedPublicKeys(db))
        }
        if integrity != ["ok"] { problems += integrity.map { "index: \($0)" } }

        var intact: [String: Int] = [:]  // digest -> size, for blobs whose bytes hash to their name
        var unsignedBecause: [String: SigningError] = [:]  // digest -> why export would refuse it
        let files = blobs.all()
        for (sha, path) in files {
            guard let sha else {
                problems.append("\(path): not a blob (the name is not a SHA-256 path)")
                continue
            }
            guard let data = FileManager.default.contents(atPath: path) else {
                problems.append("\(path): unreadable")
                continue
            }
            let actual = BlobStore.sha256(data)
            guard actual == sha else {
                problems.append("\(path): bytes hash to sha256:\(actual), not to the blob's name")
                continue
            }
            intact[sha] = data.count
            if !keys.isEmpty {
                do throws(SigningError) {
                    try ArtifactSigner.verify([UInt8](data), trusting: keys)
                } catch {
                    unsignedBecause[sha] = error
                }
            }
        }
        var referenced = Set<String>()
        var signatureProblems: [String] = []
        for row in rows {
            let sha: String = row["sha256"], size: Int = row["size"]
            let ref = "\(row["name"] as String)@\(row["version"] as Int)"
            referenced.insert(sha)
            if let found = intact[sha] {
                if found != size { problems.append("\(ref): blob sha256:\(sha) has \(found) bytes, the index says \(size)") }
                if let error = unsignedBecause[sha] { signatureProblems.append("\(ref): \(error)") }
            } else if files.contains(where: { $0.sha256 == sha }) {
                problems.append("\(ref): blob sha256:\(sha) is corrupt")
            } else {
                problems.append("\(ref): blob sha256:\(sha) is missing")
            }
        }
        return VerifyReport(
            ok: problems.isEmpty && signatureProblems.isEmpty, versionsChecked: rows.count, blobsChecked: files.count,
            problems: problems, signaturesRequired: !keys.isEmpty, signatureProblems: signatureProblems,
            unreferencedBlobs: files.compactMap { $0.sha256 }.filter { !referenced.contains($0) }.map { "sha256:\($0)" },
            temporaryFiles: blobs.temporaryFiles(olderThan: 0))
    }

    /// Finds blobs no index row references and temporary files older than `temporaryFileAge`
    /// seconds; removes them when `apply`. Removal happens under the write lock, and a push
    /// checks its blob under the same lock before committing, so no push can commit a row
    /// whose blob was collected.
    public func collectGarbage(apply: Bool, temporaryFileAge: TimeInterval = 3600) throws -> GarbageReport {
        func collect(_ db: Database) throws -> GarbageReport {
            let referenced = Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM versions"))
            let garbage = blobs.all().filter { $0.sha256.map { !referenced.contains($0) } ?? true }.map(\.path)
            let temporary = blobs.temporaryFiles(olderThan: temporaryFileAge)
            let bytes = (garbage + temporary).reduce(0) {
                $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0)
            }
            if apply {
                for path in garbage + temporary where unlink(path) != 0 && errno != ENOENT {
                    throw RegistryError.io(path: path, reason: "cannot remove: \(String(cString: strerror(errno)))")
                }
            }
            return GarbageReport(applied: apply, blobs: garbage, temporaryFiles: temporary, bytes: bytes)
        }
        return apply ? try write(collect) : try read(collect)
    }
}
