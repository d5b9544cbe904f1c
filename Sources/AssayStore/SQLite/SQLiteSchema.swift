import GRDB

/// The SQLite schema: the journal (the truth) and the projection tables (indexes of it, dropped and
/// rebuilt by replay). Migrations run through GRDB's `DatabaseMigrator`, so a database is upgraded in
/// place and never half-migrated.
enum SQLiteSchema {
    /// Projection tables, in the order rebuild clears them.
    static let projectionTables = [
        "entity", "party", "ownership", "site", "concession", "agreement", "agreement_party", "grant_right",
        "obligation", "delivery", "status_change", "claim", "claim_bucket", "claim_collision",
        "operator_key", "custody_policy", "custody_event", "lot", "lot_tag", "lot_edge", "custody_flag",
        "royalty_basis", "site_output", "party_flow", "price", "payment", "payment_lot", "title_site",
        "control_assessment", "site_visit", "conflict_event", "control_proposal", "site_status", "lot_route",
        "log_key", "party_search", "agreement_signature", "reserve", "reserve_asset", "asset_offer", "offer_resolution",
        "agreement_link", "negotiation_event", "event_party", "event_agreement",
        "source_claim", "national_output",
    ]

    /// The primary key of each projection table, for ordered snapshots.
    static let snapshotOrder: [String: String] = [
        "agreement_party": "agreement, party", "claim_bucket": "bucket, claim", "claim_collision": "claim, other",
        "status_change": "seq",
        "custody_flag": "event, lot, rule", "lot_tag": "tag", "lot_edge": "parent, child",
        "royalty_basis": "lot, event", "site_output": "site, mineral, year", "party_flow": "party, mineral",
        "price": "mineral, day", "payment_lot": "payment, lot", "title_site": "site, concession",
        "control_proposal": "event", "site_status": "site, day", "lot_route": "lot, seq", "log_key": "seq", "party_search": "seq",
        "agreement_signature": "agreement, party", "reserve_asset": "reserve, asset", "offer_resolution": "seq",
        "agreement_link": "agreement, linked", "event_party": "event, party, role", "event_agreement": "event, agreement", "national_output": "mineral, year",
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
        m.registerMigration("v5-custody") { db in
            // Chain of custody: operator keys, the policy, events, lots (state, the entries of the events
            // along each, extra tags, lineage edges), flags, what royalties are computed on, running totals the rules compare
            // against, reference prices and declared payments. All projections of the journal.
            try db.execute(sql: """
            CREATE TABLE operator_key(id TEXT PRIMARY KEY, party TEXT NOT NULL, json TEXT NOT NULL, revoked TEXT, seq INTEGER NOT NULL);
            CREATE INDEX operator_key_party ON operator_key(party);
            CREATE TABLE custody_policy(id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, seq INTEGER NOT NULL);
            CREATE TABLE custody_event(id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, time TEXT NOT NULL,
                party TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE lot(id TEXT PRIMARY KEY, mineral TEXT NOT NULL, form TEXT NOT NULL, mass_g INTEGER NOT NULL, grade_bp INTEGER,
                moisture_bp INTEGER, holder TEXT NOT NULL, pending_to TEXT, pending_event TEXT, consumed_by TEXT, location TEXT,
                at_origin INTEGER NOT NULL, exported_to TEXT, received INTEGER NOT NULL, created_by TEXT NOT NULL, created INTEGER NOT NULL,
                last_time INTEGER NOT NULL, origins TEXT NOT NULL, events TEXT NOT NULL) WITHOUT ROWID;
            CREATE INDEX lot_holder ON lot(holder, id);
            -- Extra tags only (a lot's id is its first tag); few indexes on random keys: each costs a page a write.
            CREATE TABLE lot_tag(tag TEXT PRIMARY KEY, lot TEXT NOT NULL) WITHOUT ROWID;
            CREATE TABLE lot_edge(parent TEXT NOT NULL, child TEXT NOT NULL, event TEXT NOT NULL, grams INTEGER NOT NULL,
                PRIMARY KEY(parent, child)) WITHOUT ROWID;
            CREATE INDEX lot_edge_child ON lot_edge(child, parent);
            CREATE TABLE custody_flag(event TEXT NOT NULL, lot TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL, time TEXT NOT NULL,
                explanation TEXT NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY(event, lot, rule)) WITHOUT ROWID;
            CREATE INDEX custody_flag_lot ON custody_flag(lot);
            CREATE TABLE royalty_basis(lot TEXT NOT NULL, event TEXT NOT NULL, day INTEGER NOT NULL, payer TEXT NOT NULL, site TEXT NOT NULL,
                concession TEXT, mineral TEXT NOT NULL, contained_g INTEGER NOT NULL, PRIMARY KEY(lot, event)) WITHOUT ROWID;
            CREATE INDEX royalty_basis_payer ON royalty_basis(payer, day);
            CREATE TABLE site_output(site TEXT NOT NULL, mineral TEXT NOT NULL, year INTEGER NOT NULL, grams INTEGER NOT NULL,
                PRIMARY KEY(site, mineral, year)) WITHOUT ROWID;
            CREATE TABLE party_flow(party TEXT NOT NULL, mineral TEXT NOT NULL, received_g INTEGER NOT NULL, exported_g INTEGER NOT NULL,
                PRIMARY KEY(party, mineral)) WITHOUT ROWID;
            CREATE TABLE price(mineral TEXT NOT NULL, day INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(mineral, day)) WITHOUT ROWID;
            CREATE TABLE payment(id TEXT PRIMARY KEY, payer TEXT NOT NULL, stream TEXT NOT NULL, json TEXT NOT NULL);
            CREATE TABLE payment_lot(payment TEXT NOT NULL, lot TEXT NOT NULL, PRIMARY KEY(payment, lot)) WITHOUT ROWID;
            CREATE INDEX payment_lot_lot ON payment_lot(lot);
            CREATE TABLE title_site(site TEXT NOT NULL, concession TEXT NOT NULL, PRIMARY KEY(site, concession)) WITHOUT ROWID;
            INSERT INTO title_site(site, concession)
                SELECT json_extract(json, '$.site'), id FROM concession WHERE json_extract(json, '$.site') IS NOT NULL;
            """)
        }
        m.registerMigration("v6-risk") { db in
            // Conflict and risk: control of the ground through time, site visits (IPIS), conflict events
            // (ACLED format) and the control changes they propose, sites' operating status, and where each
            // lot passed (for route screening).
            try db.execute(sql: """
            CREATE TABLE control_assessment(id TEXT PRIMARY KEY, controller TEXT NOT NULL, kind TEXT NOT NULL, from_day INTEGER NOT NULL,
                until_day INTEGER, confidence TEXT NOT NULL, superseded_by TEXT, cells BLOB NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE TABLE site_visit(id TEXT PRIMARY KEY, site TEXT NOT NULL, day INTEGER NOT NULL, nonstate INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE INDEX site_visit_site ON site_visit(site, day);
            CREATE TABLE conflict_event(id TEXT PRIMARY KEY, day INTEGER NOT NULL, event_type TEXT NOT NULL, json TEXT NOT NULL);
            CREATE TABLE control_proposal(event TEXT PRIMARY KEY, kind TEXT NOT NULL, day INTEGER NOT NULL, actor TEXT NOT NULL,
                latitude TEXT NOT NULL, longitude TEXT NOT NULL, location TEXT) WITHOUT ROWID;
            CREATE TABLE site_status(site TEXT NOT NULL, day INTEGER NOT NULL, status TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(site, day)) WITHOUT ROWID;
            CREATE TABLE lot_route(lot TEXT NOT NULL, seq INTEGER NOT NULL, site TEXT NOT NULL, time INTEGER NOT NULL, PRIMARY KEY(lot, seq)) WITHOUT ROWID;
            """)
        }
        m.registerMigration("v7-token-expiry") { db in
            // Tokens may expire; when each was last used (written at most once a minute per token).
            try db.execute(sql: "ALTER TABLE api_token ADD COLUMN expires TEXT; ALTER TABLE api_token ADD COLUMN last_used TEXT")
        }
        m.registerMigration("v8-log-keys") { db in
            // The log's signing keys after the first: each rotation's entry, new verifier key and the end of
            // its transition (a projection of `rotate-log-key` entries). The first key is in meta.
            try db.execute(sql: "CREATE TABLE log_key(seq INTEGER PRIMARY KEY, vkey TEXT NOT NULL UNIQUE, until TEXT NOT NULL)")
        }
        m.registerMigration("v9-view-indexes") { db in
            // The newest entry of each type (view generations, read in a lookup a type, not a scan of the
            // journal) and the custody events a party signed (its page), at millions of entries.
            try db.execute(sql: """
                CREATE INDEX journal_type ON journal(type, seq);
                CREATE INDEX custody_event_party ON custody_event(party, seq);
                """)
        }
        m.registerMigration("v10-party-search") { db in
            // Search by any part of a party's id or name, at millions of parties, from disk (the server held
            // every name in memory): an FTS5 table with the trigram tokenizer, in registration order (rowid).
            try db.execute(sql: "CREATE VIRTUAL TABLE party_search USING fts5(seq UNINDEXED, id UNINDEXED, key, name, tokenize = 'trigram')")
            try RelationalStore.fillPartySearch(GRDBConnection(db: db))
        }
        m.registerMigration("v11-agreement-signatures") { db in
            // Each party's signature of an agreement's terms (sign-agreement), one per party.
            try db.execute(sql: """
                CREATE TABLE agreement_signature(agreement TEXT NOT NULL, party TEXT NOT NULL, key TEXT NOT NULL, time TEXT NOT NULL,
                    seq INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(agreement, party)) WITHOUT ROWID
                """)
        }
        m.registerMigration("v12-reserves") { db in
            // Reserves of assets under an agreement, offers that open first-offer windows, and their answers.
            try db.execute(sql: """
                CREATE TABLE reserve(id TEXT PRIMARY KEY, agreement TEXT NOT NULL, sealed INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE TABLE reserve_asset(reserve TEXT NOT NULL, asset TEXT NOT NULL, minerals INTEGER NOT NULL, cells BLOB NOT NULL,
                    PRIMARY KEY(reserve, asset)) WITHOUT ROWID;
                CREATE TABLE asset_offer(id TEXT PRIMARY KEY, reserve TEXT NOT NULL, asset TEXT NOT NULL, beneficiary TEXT NOT NULL,
                    opens INTEGER NOT NULL, closes INTEGER NOT NULL, months INTEGER NOT NULL, status TEXT NOT NULL, seq INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE INDEX asset_offer_asset ON asset_offer(reserve, asset, seq);
                CREATE INDEX asset_offer_open ON asset_offer(status, opens);
                CREATE TABLE offer_resolution(seq INTEGER PRIMARY KEY, offer TEXT NOT NULL, status TEXT NOT NULL, date INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE INDEX offer_resolution_offer ON offer_resolution(offer, seq);
                """)
        }
        m.registerMigration("v13-agreement-links") { db in
            // Links between agreements (a minerals agreement paired with, or conditional on, a peace agreement).
            try db.execute(sql: """
                CREATE TABLE agreement_link(agreement TEXT NOT NULL, linked TEXT NOT NULL, relation TEXT NOT NULL, seq INTEGER NOT NULL,
                    json TEXT NOT NULL, PRIMARY KEY(agreement, linked)) WITHOUT ROWID;
                CREATE INDEX agreement_link_linked ON agreement_link(linked);
                """)
        }
        m.registerMigration("v14-negotiation-events") { db in
            // The negotiation on the record: dated events, the parties they name (and how) and the agreements they concern.
            try db.execute(sql: """
                CREATE TABLE negotiation_event(id TEXT PRIMARY KEY, day INTEGER NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL);
                CREATE INDEX negotiation_event_day ON negotiation_event(day, id);
                CREATE TABLE event_party(event TEXT NOT NULL, party TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY(event, party, role)) WITHOUT ROWID;
                CREATE INDEX event_party_party ON event_party(party);
                CREATE TABLE event_agreement(event TEXT NOT NULL, agreement TEXT NOT NULL, PRIMARY KEY(event, agreement)) WITHOUT ROWID;
                CREATE INDEX event_agreement_agreement ON event_agreement(agreement);
                """)
        }
        m.registerMigration("v15-source-claims") { db in
            // What each source says about a fact, side by side; at most one per subject and field is used.
            try db.execute(sql: """
                CREATE TABLE source_claim(id TEXT PRIMARY KEY, subject TEXT NOT NULL, field TEXT NOT NULL, used INTEGER NOT NULL,
                    seq INTEGER NOT NULL, json TEXT NOT NULL);
                CREATE INDEX source_claim_subject ON source_claim(subject, field);
                """)
        }
        m.registerMigration("v16-national-output") { db in
            // Published national production per mineral and year: what aggregates state their coverage against.
            try db.execute(sql: "CREATE TABLE national_output(mineral TEXT NOT NULL, year INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(mineral, year)) WITHOUT ROWID")
        }
        m.registerMigration("v17-entry-keys") { db in
            // The keys each journal entry touches (EntryKeys), for feeds, subscriptions and monitors; filled outside
            // the write path up to meta 'entry_key_hwm'. Derived from the journal alone: not a projection.
            try db.execute(sql: "CREATE TABLE entry_key(key TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(key, seq)) WITHOUT ROWID")
        }
        m.registerMigration("v18-subscriptions") { db in
            // Webhook subscriptions and how far each was delivered (operational state, not in the journal).
            try db.execute(sql: """
                CREATE TABLE subscription(id TEXT PRIMARY KEY, url TEXT NOT NULL, match TEXT NOT NULL, created_by TEXT NOT NULL,
                    created TEXT NOT NULL, cursor INTEGER NOT NULL, attempts INTEGER NOT NULL, next_attempt TEXT, last_error TEXT,
                    delivered INTEGER NOT NULL, lease_holder TEXT, lease_until TEXT)
                """)
        }
        m.registerMigration("v19-index-checkpoints") { db in
            // Signed roots of the verifiable index, per input checkpoint size: `assay verify` rebuilds the index
            // from the journal and compares. `pos`: the note's place in the index log (the output log of roots),
            // for roots at sizes above every root already logged.
            try db.execute(sql: "CREATE TABLE index_checkpoint(size INTEGER PRIMARY KEY, root TEXT NOT NULL, note TEXT NOT NULL, pos INTEGER UNIQUE)")
        }
        return m
    }
}
