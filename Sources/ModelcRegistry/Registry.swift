import Foundation
import GRDB
import ModelcFormat

/// A model registry: an SQLite index (WAL) of versions, aliases, alias history and trusted
/// keys, beside a content-addressed blob store of artifact bytes (Spec.md, "Registry and
/// signatures"). Every change to the index is one IMMEDIATE transaction, so several processes
/// can push, promote and collect garbage at once.
public final class Registry {
    public let path: String
    let db: DatabaseQueue
    let blobs: BlobStore

    static let databaseFile = "index.sqlite"

    /// Opens the registry at `location`. Only commands that write may create one (`create`);
    /// the others refuse a path without a registry, naming how the path was chosen, so a typo
    /// never shows an empty registry.
    public convenience init(at location: RegistryLocation, create: Bool) throws {
        guard create || FileManager.default.fileExists(atPath: "\(location.path)/\(Self.databaseFile)") else {
            throw RegistryError.noRegistry(location)
        }
        try self.init(path: location.path)
    }

    /// Opens the registry at `path`, creating it if needed.
    public init(path: String) throws {
        self.path = path
        blobs = BlobStore(directory: "\(path)/blobs", temporary: "\(path)/tmp")
        for dir in [path, blobs.directory, blobs.temporary] where !FileManager.default.fileExists(atPath: dir) {
            do {
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            } catch {
                throw RegistryError.io(path: dir, reason: "cannot create the registry directory: \(error.localizedDescription)")
            }
        }
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(120)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let file = "\(path)/\(Self.databaseFile)"
        do {
            db = try DatabaseQueue(path: file, configuration: config)
            if try db.read({ try Int.fetchOne($0, sql: "PRAGMA user_version") }) != RegistrySchema.version {
                try db.inTransaction(.immediate) { db in
                    try RegistrySchema.migrate(db, path: file)
                    return .commit
                }
            }
        } catch let error as RegistryError {
            throw error
        } catch {
            throw RegistryError.io(path: file, reason: "cannot open the registry index: \(error)")
        }
    }

    /// Runs `body` in one IMMEDIATE transaction: the write lock is taken before anything is read.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(.immediate) { db in
            result = try body(db)
            return .commit
        }
        return result!
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try db.read(body)
    }

    // MARK: Queries

    /// Every model name with its version count, newest version and aliases.
    public func names() throws -> [NameSummary] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT name, COUNT(*) AS n, MAX(version) AS latest FROM versions GROUP BY name ORDER BY name").map { row in
                let aliases = try Row.fetchAll(db, sql: "SELECT alias, version FROM aliases WHERE name = ?", arguments: [row["name"] as String])
                return NameSummary(name: row["name"], versions: row["n"], latest: row["latest"],
                                   aliases: Dictionary(uniqueKeysWithValues: aliases.map { ($0["alias"], $0["version"]) }))
            }
        }
    }

    /// Every version of `name`, oldest first.
    public func versions(of name: String) throws -> [VersionRecord] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM versions WHERE name = ? ORDER BY version", arguments: [name])
            guard !rows.isEmpty else { throw RegistryError.notFound("model '\(name)'") }
            return try rows.map { try Self.record(db, $0) }
        }
    }

    /// The version `ref` names now.
    public func resolve(_ ref: ModelRef) throws -> VersionRecord {
        try read { db in try Self.record(db, ref) }
    }

    static func record(_ db: Database, _ ref: ModelRef) throws -> VersionRecord {
        let version: Int?
        switch ref.selector {
        case .latest:
            version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM versions WHERE name = ?", arguments: [ref.name])
        case .version(let v):
            version = v
        case .alias(let a):
            version = try holder(db, name: ref.name, alias: a)
            if version == nil { throw RegistryError.notFound("alias '\(ref)'") }
        }
        guard let version,
              let row = try Row.fetchOne(db, sql: "SELECT * FROM versions WHERE name = ? AND version = ?", arguments: [ref.name, version])
        else { throw RegistryError.notFound(ref.selector == .latest ? "model '\(ref.name)'" : "version '\(ref)'") }
        return try record(db, row)
    }

    static func record(_ db: Database, _ row: Row) throws -> VersionRecord {
        let key: [any DatabaseValueConvertible] = [row["name"] as String, row["version"] as Int]
        let metrics = try Row.fetchAll(db, sql: "SELECT metric, value FROM metrics WHERE name = ? AND version = ?", arguments: StatementArguments(key))
        let aliases = try String.fetchAll(db, sql: "SELECT alias FROM aliases WHERE name = ? AND version = ? ORDER BY alias", arguments: StatementArguments(key))
        return VersionRecord(row: row, metrics: Dictionary(uniqueKeysWithValues: metrics.map { ($0["metric"], $0["value"]) }), aliases: aliases)
    }

    static func holder(_ db: Database, name: String, alias: String) throws -> Int? {
        try Int.fetchOne(db, sql: "SELECT version FROM aliases WHERE name = ? AND alias = ?", arguments: [name, alias])
    }

    /// The artifact bytes of a version, refused when the blob no longer matches its digest.
    public func artifactBytes(_ record: VersionRecord) throws -> [UInt8] {
        try blobs.read(record.sha256)
    }

    /// Where a version's blob is on disk.
    public func blobPath(_ record: VersionRecord) -> String { blobs.path(of: record.sha256) }
}
