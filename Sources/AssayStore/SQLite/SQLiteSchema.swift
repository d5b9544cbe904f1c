import GRDB

/// The SQLite schema: the journal (the truth) and the projection tables (indexes of it, dropped and
/// rebuilt by replay). Migrations run through GRDB's `DatabaseMigrator`, so a database is upgraded in
/// place and never half-migrated.
enum SQLiteSchema {
    /// Projection tables, in the order rebuild clears them.
    static let projectionTables = [
        "entity", "party", "ownership", "site", "concession", "agreement", "agreement_party", "grant_right",
        "obligation", "delivery", "status_change", "claim", "claim_bucket", "claim_collision",
    ]

    /// The primary key of each projection table, for ordered snapshots.
    static let snapshotOrder: [String: String] = [
        "agreement_party": "agreement, party", "claim_bucket": "bucket, claim", "claim_collision": "claim, other",
        "status_change": "seq",
    ]

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
            CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE journal(
                seq INTEGER PRIMARY KEY, time TEXT NOT NULL, author TEXT NOT NULL,
                type TEXT NOT NULL, subject TEXT NOT NULL, bytes BLOB NOT NULL);
            CREATE TABLE entity(id TEXT PRIMARY KEY, kind TEXT NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;
            CREATE INDEX entity_kind ON entity(kind, id);
            CREATE TABLE party(id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, json TEXT NOT NULL);
            CREATE TABLE ownership(id TEXT PRIMARY KEY, subject TEXT NOT NULL, interested TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX ownership_subject ON ownership(subject);
            CREATE INDEX ownership_interested ON ownership(interested);
            CREATE TABLE site(id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, province TEXT,
                cell INTEGER NOT NULL, operator TEXT, json TEXT NOT NULL);
            CREATE TABLE concession(id TEXT PRIMARY KEY, code TEXT NOT NULL, holder TEXT NOT NULL, status TEXT NOT NULL,
                provinces TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX concession_holder ON concession(holder);
            CREATE TABLE agreement(id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
                signed TEXT, supersedes TEXT, superseded_by TEXT, json TEXT NOT NULL);
            CREATE TABLE agreement_party(agreement TEXT NOT NULL, party TEXT NOT NULL, role TEXT NOT NULL,
                PRIMARY KEY(agreement, party)) WITHOUT ROWID;
            CREATE INDEX agreement_party_party ON agreement_party(party);
            CREATE TABLE grant_right(id TEXT PRIMARY KEY, agreement TEXT NOT NULL, beneficiary TEXT NOT NULL,
                exclusivity TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX grant_agreement ON grant_right(agreement);
            CREATE TABLE obligation(id TEXT PRIMARY KEY, agreement TEXT NOT NULL, obligor TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX obligation_agreement ON obligation(agreement);
            CREATE TABLE delivery(id TEXT PRIMARY KEY, obligation TEXT NOT NULL, date TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX delivery_obligation ON delivery(obligation);
            CREATE TABLE status_change(seq INTEGER PRIMARY KEY, subject TEXT NOT NULL, status TEXT NOT NULL,
                date TEXT NOT NULL, reason TEXT);
            CREATE TABLE claim(id TEXT PRIMARY KEY, kind TEXT NOT NULL, holder TEXT NOT NULL, agreement TEXT,
                minerals INTEGER NOT NULL, from_day INTEGER, until_day INTEGER, cells BLOB NOT NULL,
                contested TEXT, active INTEGER NOT NULL);
            CREATE INDEX claim_agreement ON claim(agreement);
            CREATE TABLE claim_bucket(bucket INTEGER NOT NULL, claim TEXT NOT NULL, PRIMARY KEY(bucket, claim)) WITHOUT ROWID;
            CREATE TABLE claim_collision(claim TEXT NOT NULL, other TEXT NOT NULL, json TEXT NOT NULL,
                PRIMARY KEY(claim, other)) WITHOUT ROWID;
            CREATE INDEX claim_collision_other ON claim_collision(other);
            """)
        }
        m.registerMigration("v2-log") { db in
            // The verifiable log: hash tiles (level ≥ 0) and entry bundles (level -1), full or partial at a
            // checkpointed size, C2SP tlog-tiles; signed checkpoints and their cosignatures.
            try db.execute(sql: """
            CREATE TABLE log_tile(level INTEGER NOT NULL, idx INTEGER NOT NULL, width INTEGER NOT NULL, data BLOB NOT NULL,
                PRIMARY KEY(level, idx, width)) WITHOUT ROWID;
            CREATE TABLE log_checkpoint(size INTEGER PRIMARY KEY, note TEXT NOT NULL);
            CREATE TABLE log_cosignature(size INTEGER NOT NULL, name TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY(size, name));
            """)
        }
        m.registerMigration("v3-tokens") { db in
            // API tokens: only a SHA-256 of each secret is kept. Operational, not part of the public journal.
            try db.execute(sql: """
            CREATE TABLE api_token(id TEXT PRIMARY KEY, hash BLOB NOT NULL UNIQUE, role TEXT NOT NULL, party TEXT,
                created TEXT NOT NULL, revoked TEXT);
            """)
        }
        m.registerMigration("v4-sealed") { db in
            // Confidential details kept out of the public log: the journal entry carries only the SHA-256 of
            // their canonical JSON (with a random salt); this table holds them, for auditors and for replay.
            try db.execute(sql: "CREATE TABLE sealed_detail(hash TEXT PRIMARY KEY, json TEXT NOT NULL)")
        }
        return m
    }
}
