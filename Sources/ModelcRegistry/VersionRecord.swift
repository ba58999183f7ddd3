import Foundation
import GRDB

/// One pushed version: where its bytes are and where it came from (lineage).
public struct VersionRecord: Codable, Equatable, Sendable {
    public var name: String
    public var version: Int
    /// SHA-256 (hex) of the artifact bytes: the blob's address.
    public var sha256: String
    public var size: Int
    /// The version this one was derived from: the newest one when it was pushed, or `--parent`.
    public var parent: Int?
    /// From the artifact's model info.
    public var modelName: String
    public var modelVersion: String
    public var dataDigest: String
    public var configDigest: String
    public var producerVersion: String
    /// Key id of the artifact's signature when it was intact at push; nil when unsigned.
    public var signedBy: String?
    public var pushedBy: String
    /// ISO 8601, UTC.
    public var pushedAt: String
    /// The model card's overall metrics, keyed `<component>.<metric>`.
    public var metrics: [String: Double]
    /// Aliases that point at this version now.
    public var aliases: [String]

    init(row: Row, metrics: [String: Double], aliases: [String]) {
        name = row["name"]
        version = row["version"]
        sha256 = row["sha256"]
        size = row["size"]
        parent = row["parent"]
        modelName = row["model_name"]
        modelVersion = row["model_version"]
        dataDigest = row["data_digest"]
        configDigest = row["config_digest"]
        producerVersion = row["producer_version"]
        signedBy = row["signed_by"]
        pushedBy = row["pushed_by"]
        pushedAt = RegistryClock.iso8601(row["pushed_at"])
        self.metrics = metrics
        self.aliases = aliases
    }

    public var ref: String { "\(name)@\(version)" }
}

/// One move of an alias: every set, promotion, rollback and removal is kept.
public struct AliasMove: Codable, Equatable, Sendable {
    public var id: Int
    public var name: String
    public var alias: String
    /// The holder before the move; nil when the alias was new.
    public var from: Int?
    /// The holder after the move; nil when the alias was removed.
    public var to: Int?
    /// `set`, `promote`, `rollback` or `remove`.
    public var action: String
    public var by: String
    public var at: String
    /// What the gates checked, or what was rolled back.
    public var note: String

    init(row: Row) {
        id = row["id"]
        name = row["name"]
        alias = row["alias"]
        from = row["from_version"]
        to = row["to_version"]
        action = row["action"]
        by = row["actor"]
        at = RegistryClock.iso8601(row["at"])
        note = row["note"]
    }

    /// `3 -> 4`, `none -> 1` or `2 -> removed`: the move as the CLI prints it.
    public var change: String {
        "\(from.map(String.init) ?? "none") -> \(to.map(String.init) ?? "removed")"
    }
}

/// One model name in the registry.
public struct NameSummary: Codable, Equatable, Sendable {
    public var name: String
    public var versions: Int
    public var latest: Int
    public var aliases: [String: Int]
}

/// A public key whose signatures the registry accepts.
public struct TrustedKey: Codable, Equatable, Sendable {
    public var keyID: String
    public var publicKey: String
    public var addedBy: String
    public var addedAt: String
}
