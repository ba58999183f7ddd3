import Foundation
import GRDB

/// What a promotion did, or why it was refused.
public struct PromotionOutcome: Codable, Equatable, Sendable {
    public var promoted: Bool
    public var name: String
    public var version: Int
    public var alias: String
    public var gates: [GateOutcome]
    /// The recorded move; nil when refused or when the alias already held the version.
    public var move: AliasMove?
    public var reason: String?
}

extension Registry {
    /// Points `alias` of `name` at `version`; nil when it already pointed there.
    @discardableResult
    public func setAlias(_ alias: String, name: String, version: Int) throws -> AliasMove? {
        try RegistryNames.checkAlias(alias)
        return try write { db in
            _ = try Self.record(db, ModelRef(name: name, selector: .version(version)))
            return try Self.move(db, name: name, alias: alias, to: version, action: "set", note: "")
        }
    }

    /// Removes `alias` of `name`; the removal is recorded in the history. Refused when the alias
    /// has no holder.
    @discardableResult
    public func removeAlias(_ alias: String, name: String) throws -> AliasMove {
        try write { db in
            guard let current = try Self.holder(db, name: name, alias: alias) else {
                throw RegistryError.notFound("alias '\(name)@\(alias)'")
            }
            try db.execute(sql: "DELETE FROM aliases WHERE name = ? AND alias = ?", arguments: [name, alias])
            return try Self.appendMove(db, name: name, alias: alias, from: current, to: nil, action: "remove", note: "")
        }
    }

    /// Moves `alias` to `version` if every gate passes, checked under the write lock against
    /// the metrics of the versions involved at that moment.
    public func promote(name: String, version: Int, to alias: String, gates: [MetricGate]) throws -> PromotionOutcome {
        try RegistryNames.checkAlias(alias)
        return try write { db in
            let candidate = try Self.record(db, ModelRef(name: name, selector: .version(version)))
            let outcomes = try gates.map { try Self.evaluate($0, candidate: candidate, db) }
            var outcome = PromotionOutcome(promoted: false, name: name, version: version, alias: alias, gates: outcomes)
            let failed = outcomes.filter { !$0.passed }
            guard failed.isEmpty else {
                outcome.reason = "gate\(failed.count == 1 ? "" : "s") failed: " + failed.map(\.detail).joined(separator: "; ")
                return outcome
            }
            let note = outcomes.isEmpty ? "no gates" : outcomes.map(\.detail).joined(separator: "; ")
            outcome.move = try Self.move(db, name: name, alias: alias, to: version, action: "promote", note: note)
            outcome.promoted = true
            return outcome
        }
    }

    /// Moves `alias` back to the version it held before the set or promotion that gave it its
    /// current holder. Repeated rollbacks walk further back.
    @discardableResult
    public func rollback(name: String, alias: String) throws -> AliasMove {
        try write { db in
            guard let current = try Self.holder(db, name: name, alias: alias) else {
                throw RegistryError.notFound("alias '\(name)@\(alias)'")
            }
            let previous = try Int.fetchOne(db, sql: """
                SELECT from_version FROM alias_moves
                WHERE name = ? AND alias = ? AND to_version = ? AND action != 'rollback'
                ORDER BY id DESC LIMIT 1
                """, arguments: [name, alias, current])
            guard let previous else { throw RegistryError.noEarlierHolder(name: name, alias: alias, version: current) }
            return try Self.move(db, name: name, alias: alias, to: previous, action: "rollback", note: "rolled back from \(current)")!
        }
    }

    /// Every alias move of `name` (optionally of one alias), oldest first.
    public func history(name: String, alias: String? = nil) throws -> [AliasMove] {
        try read { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM versions WHERE name = ?", arguments: [name]) != nil else {
                throw RegistryError.notFound("model '\(name)'")
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM alias_moves WHERE name = ? AND (?2 IS NULL OR alias = ?2) ORDER BY id",
                                    arguments: [name, alias]).map(AliasMove.init(row:))
        }
    }

    /// Points the alias and records the move; nil when nothing changes.
    static func move(_ db: Database, name: String, alias: String, to version: Int, action: String, note: String) throws -> AliasMove? {
        let from = try holder(db, name: name, alias: alias)
        guard from != version else { return nil }
        try db.execute(sql: "INSERT INTO aliases (name, alias, version) VALUES (?, ?, ?) ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version",
                       arguments: [name, alias, version])
        return try appendMove(db, name: name, alias: alias, from: from, to: version, action: action, note: note)
    }

    /// Appends a row to the alias history.
    static func appendMove(_ db: Database, name: String, alias: String, from: Int?, to: Int?, action: String, note: String) throws -> AliasMove {
        try db.execute(sql: "INSERT INTO alias_moves (name, alias, from_version, to_version, action, actor, at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       arguments: [name, alias, from, to, action, RegistryClock.user, RegistryClock.now(), note])
        return AliasMove(row: try Row.fetchOne(db, sql: "SELECT * FROM alias_moves WHERE id = ?", arguments: [db.lastInsertedRowID])!)
    }

    static func evaluate(_ gate: MetricGate, candidate: VersionRecord, _ db: Database) throws -> GateOutcome {
        func outcome(_ passed: Bool, _ detail: String) -> GateOutcome { GateOutcome(gate: gate.description, passed: passed, detail: detail) }
        guard let value = candidate.metrics[gate.metric] else {
            return outcome(false, MetricSuggestions.missing(gate.metric, in: candidate.ref, known: Array(candidate.metrics.keys)))
        }
        let op = gate.comparison.rawValue
        switch gate.bound {
        case .value(let bound):
            let passed = gate.comparison.holds(value, bound)
            return outcome(passed, "\(gate.metric) = \(value)\(passed ? " \(op) \(bound)" : ", required \(op) \(bound)")")
        case .alias(let alias):
            guard let held = try holder(db, name: candidate.name, alias: alias) else {
                return outcome(true, "\(candidate.name)@\(alias) has no holder: nothing to compare \(gate.metric) with")
            }
            let other = try record(db, ModelRef(name: candidate.name, selector: .version(held)))
            guard let bound = other.metrics[gate.metric] else {
                return outcome(false, MetricSuggestions.missing(gate.metric, in: "\(candidate.name)@\(alias) (\(other.ref))", known: Array(other.metrics.keys)))
            }
            let passed = gate.comparison.holds(value, bound)
            return outcome(passed, "\(gate.metric) = \(value)\(passed ? " \(op)" : ", required \(op)") \(bound) of \(candidate.name)@\(alias) (\(other.ref))")
        }
    }
}
