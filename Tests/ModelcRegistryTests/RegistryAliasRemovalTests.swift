import Foundation
import GRDB
@testable import ModelcRegistry
import XCTest

final class RegistryAliasRemovalTests: TemporaryDirectoryTestCase {
    private func registryWithVersions(_ count: Int) throws -> Registry {
        let registry = try Registry(path: path("registry"))
        for seed in 1...count {
            try TestArtifacts.write(to: path("\(seed).modelc"), seed: UInt64(seed))
            _ = try registry.push(file: path("\(seed).modelc"), name: "btc")
        }
        return registry
    }

    func testRemovalIsRecordedAndTheAliasNamesNothing() throws {
        let registry = try registryWithVersions(2)
        try registry.setAlias("production", name: "btc", version: 2)
        try registry.setAlias("staging", name: "btc", version: 1)
        let removal = try registry.removeAlias("production", name: "btc")
        XCTAssertEqual(removal.action, "remove")
        XCTAssertEqual(removal.from, 2)
        XCTAssertNil(removal.to)
        XCTAssertThrowsError(try registry.resolve(ModelRef(parsing: "btc@production"))) {
            XCTAssertEqual($0 as? RegistryError, .notFound("alias 'btc@production'"))
        }
        XCTAssertThrowsError(try registry.removeAlias("production", name: "btc"), "nothing left to remove")
        XCTAssertThrowsError(try registry.rollback(name: "btc", alias: "production"), "a removed alias has no holder to roll back")
        XCTAssertEqual(try registry.resolve(ModelRef(parsing: "btc@staging")).version, 1, "other aliases stay")
        XCTAssertEqual(try registry.versions(of: "btc").map(\.aliases), [["staging"], []])

        try registry.setAlias("production", name: "btc", version: 1)
        let moves = try registry.history(name: "btc", alias: "production")
        XCTAssertEqual(moves.map(\.action), ["set", "remove", "set"])
        XCTAssertEqual(moves.map(\.from), [nil, 2, nil])
        XCTAssertEqual(moves.map(\.to), [2, nil, 1])
    }

    /// A registry made by schema 1 (alias_moves.to_version NOT NULL, no 'remove' action) is
    /// upgraded on open, keeping its history, and can then record removals.
    func testSchemaOneRegistryIsUpgraded() throws {
        let registry = try registryWithVersions(2)
        try registry.setAlias("production", name: "btc", version: 1)
        _ = try registry.promote(name: "btc", version: 2, to: "production", gates: [])
        let before = try registry.history(name: "btc")
        try registry.db.write { db in
            // The schema-1 definition, as Spec.md described it before removals.
            try db.execute(sql: """
                CREATE TABLE old_moves (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, alias TEXT NOT NULL,
                    from_version INTEGER, to_version INTEGER NOT NULL,
                    action TEXT NOT NULL CHECK (action IN ('set', 'promote', 'rollback')),
                    actor TEXT NOT NULL, at INTEGER NOT NULL, note TEXT NOT NULL,
                    FOREIGN KEY (name, to_version) REFERENCES versions (name, version))
                """)
            try db.execute(sql: "INSERT INTO old_moves SELECT * FROM alias_moves")
            try db.execute(sql: "DROP TABLE alias_moves")
            try db.execute(sql: "ALTER TABLE old_moves RENAME TO alias_moves")
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        XCTAssertThrowsError(try registry.removeAlias("production", name: "btc"), "schema 1 cannot hold a removal")

        let reopened = try Registry(path: path("registry"))
        XCTAssertEqual(try reopened.db.read { try Int.fetchOne($0, sql: "PRAGMA user_version") }, 2)
        XCTAssertEqual(try reopened.history(name: "btc"), before)
        try reopened.removeAlias("production", name: "btc")
        try reopened.setAlias("production", name: "btc", version: 1)
        let ids = try reopened.history(name: "btc").map(\.id)
        XCTAssertEqual(ids, Array(ids.first!...(ids.first! + 3)), "ids go on after the copied rows")
        XCTAssertTrue(try reopened.verify().ok)
    }
}
