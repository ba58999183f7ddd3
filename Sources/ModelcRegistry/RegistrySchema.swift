import GRDB

/// The index schema (Spec.md, "Registry and signatures"). `PRAGMA user_version` holds its
/// version; it is created or upgraded inside an IMMEDIATE transaction, so processes that open
/// a registry at the same time do it once. Version 2 lets `alias_moves` record removals (no
/// `to_version`).
enum RegistrySchema {
    static let version = 2

    static let statements = [
        """
        CREATE TABLE versions (
            name TEXT NOT NULL,
            version INTEGER NOT NULL CHECK (version >= 1),
            sha256 TEXT NOT NULL,
            size INTEGER NOT NULL,
            parent INTEGER,
            model_name TEXT NOT NULL,
            model_version TEXT NOT NULL,
            data_digest TEXT NOT NULL,
            config_digest TEXT NOT NULL,
            producer_version TEXT NOT NULL,
            signed_by TEXT,
            pushed_by TEXT NOT NULL,
            pushed_at INTEGER NOT NULL,
            PRIMARY KEY (name, version),
            FOREIGN KEY (name, parent) REFERENCES versions (name, version)
        )
        """,
        "CREATE INDEX versions_by_blob ON versions (sha256)",
        """
        CREATE TABLE metrics (
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            metric TEXT NOT NULL,
            value REAL NOT NULL,
            PRIMARY KEY (name, version, metric),
            FOREIGN KEY (name, version) REFERENCES versions (name, version)
        )
        """,
        """
        CREATE TABLE aliases (
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (name, alias),
            FOREIGN KEY (name, version) REFERENCES versions (name, version)
        )
        """,
        aliasMoves(table: "alias_moves"),
        """
        CREATE TABLE trusted_keys (
            key_id TEXT PRIMARY KEY,
            public_key BLOB NOT NULL,
            added_by TEXT NOT NULL,
            added_at INTEGER NOT NULL
        )
        """,
    ]

    /// Every set, promotion, rollback and removal of an alias; a removal has no `to_version`.
    static func aliasMoves(table: String) -> String {
        """
        CREATE TABLE \(table) (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            alias TEXT NOT NULL,
            from_version INTEGER,
            to_version INTEGER,
            action TEXT NOT NULL CHECK (action IN ('set', 'promote', 'rollback', 'remove')),
            actor TEXT NOT NULL,
            at INTEGER NOT NULL,
            note TEXT NOT NULL,
            CHECK ((action = 'remove') = (to_version IS NULL)),
            FOREIGN KEY (name, to_version) REFERENCES versions (name, version)
        )
        """
    }

    static func migrate(_ db: Database, path: String) throws {
        let found = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        if found > version { throw RegistryError.newerSchema(path: path, found: found, supported: version) }
        switch found {
        case 0:
            for sql in statements { try db.execute(sql: sql) }
        case 1:
            // SQLite cannot relax a NOT NULL or CHECK in place: copy into the new definition.
            try db.execute(sql: aliasMoves(table: "alias_moves_v2"))
            try db.execute(sql: "INSERT INTO alias_moves_v2 SELECT * FROM alias_moves")
            try db.execute(sql: "DROP TABLE alias_moves")
            try db.execute(sql: "ALTER TABLE alias_moves_v2 RENAME TO alias_moves")
        default:
            return
        }
        try db.execute(sql: "PRAGMA user_version = \(version)")
    }
}
