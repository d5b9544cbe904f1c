/// The PostgreSQL schema: the same tables, columns (in the same order) and keys as SQLite's
/// (``SQLiteSchema``), with PostgreSQL's types (BIGINT, BYTEA), so the shared statements give the
/// same answers on both. Migrations carry the same names as SQLite's, applied in order, each once,
/// recorded in `schema_migrations`; several servers starting at once take an advisory lock first.
enum PostgresRegistrySchema {
    static let migrations: [(name: String, sql: String)] = [
        ("v1", """
        CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE journal(
        seq BIGINT PRIMARY KEY, time TEXT NOT NULL, author TEXT NOT NULL,
        type TEXT NOT NULL, subject TEXT NOT NULL, bytes BYTEA NOT NULL);
        CREATE TABLE entity(id TEXT PRIMARY KEY, kind TEXT NOT NULL, seq BIGINT NOT NULL);
        CREATE INDEX entity_kind ON entity(kind, id);
        CREATE TABLE party(id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, country TEXT, json TEXT NOT NULL);
        CREATE TABLE ownership(id TEXT PRIMARY KEY, subject TEXT NOT NULL, interested TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX ownership_subject ON ownership(subject);
        CREATE INDEX ownership_interested ON ownership(interested);
        CREATE TABLE site(id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, province TEXT,
        cell BIGINT NOT NULL, operator TEXT, json TEXT NOT NULL);
        CREATE TABLE concession(id TEXT PRIMARY KEY, code TEXT NOT NULL, holder TEXT NOT NULL, status TEXT NOT NULL,
        provinces TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX concession_holder ON concession(holder);
        CREATE TABLE agreement(id TEXT PRIMARY KEY, title TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
        signed TEXT, supersedes TEXT, superseded_by TEXT, json TEXT NOT NULL);
        CREATE TABLE agreement_party(agreement TEXT NOT NULL, party TEXT NOT NULL, role TEXT NOT NULL,
        PRIMARY KEY(agreement, party));
        CREATE INDEX agreement_party_party ON agreement_party(party);
        CREATE TABLE grant_right(id TEXT PRIMARY KEY, agreement TEXT NOT NULL, beneficiary TEXT NOT NULL,
        exclusivity TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX grant_agreement ON grant_right(agreement);
        CREATE TABLE obligation(id TEXT PRIMARY KEY, agreement TEXT NOT NULL, obligor TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX obligation_agreement ON obligation(agreement);
        CREATE TABLE delivery(id TEXT PRIMARY KEY, obligation TEXT NOT NULL, date TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX delivery_obligation ON delivery(obligation);
        CREATE TABLE status_change(seq BIGINT PRIMARY KEY, subject TEXT NOT NULL, status TEXT NOT NULL,
        date TEXT NOT NULL, reason TEXT);
        CREATE TABLE claim(id TEXT PRIMARY KEY, kind TEXT NOT NULL, holder TEXT NOT NULL, agreement TEXT,
        minerals BIGINT NOT NULL, from_day BIGINT, until_day BIGINT, cells BYTEA NOT NULL,
        contested TEXT, active BIGINT NOT NULL);
        CREATE INDEX claim_agreement ON claim(agreement);
        CREATE TABLE claim_bucket(bucket BIGINT NOT NULL, claim TEXT NOT NULL, PRIMARY KEY(bucket, claim));
        CREATE TABLE claim_collision(claim TEXT NOT NULL, other TEXT NOT NULL, json TEXT NOT NULL,
        PRIMARY KEY(claim, other));
        CREATE INDEX claim_collision_other ON claim_collision(other);
        """),
        ("v2-log", """
        CREATE TABLE log_tile(level BIGINT NOT NULL, idx BIGINT NOT NULL, width BIGINT NOT NULL, data BYTEA NOT NULL,
        PRIMARY KEY(level, idx, width));
        CREATE TABLE log_checkpoint(size BIGINT PRIMARY KEY, note TEXT NOT NULL);
        CREATE TABLE log_cosignature(size BIGINT NOT NULL, name TEXT NOT NULL, line TEXT NOT NULL, PRIMARY KEY(size, name));
        """),
        ("v3-tokens", """
        CREATE TABLE api_token(id TEXT PRIMARY KEY, hash BYTEA NOT NULL UNIQUE, role TEXT NOT NULL, party TEXT,
        created TEXT NOT NULL, revoked TEXT);
        """),
        ("v4-sealed", """
        CREATE TABLE sealed_detail(hash TEXT PRIMARY KEY, json TEXT NOT NULL)
        """),
        ("v5-custody", """
        CREATE TABLE operator_key(id TEXT PRIMARY KEY, party TEXT NOT NULL, json TEXT NOT NULL, revoked TEXT, seq BIGINT NOT NULL);
        CREATE INDEX operator_key_party ON operator_key(party);
        CREATE TABLE custody_policy(id BIGINT PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, seq BIGINT NOT NULL);
        CREATE TABLE custody_event(id TEXT PRIMARY KEY, seq BIGINT NOT NULL, kind TEXT NOT NULL, time TEXT NOT NULL,
        party TEXT NOT NULL, key TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE TABLE lot(id TEXT PRIMARY KEY, mineral TEXT NOT NULL, form TEXT NOT NULL, mass_g BIGINT NOT NULL, grade_bp BIGINT,
        moisture_bp BIGINT, holder TEXT NOT NULL, pending_to TEXT, pending_event TEXT, consumed_by TEXT, location TEXT,
        at_origin BIGINT NOT NULL, exported_to TEXT, received BIGINT NOT NULL, created_by TEXT NOT NULL, created BIGINT NOT NULL,
        last_time BIGINT NOT NULL, origins TEXT NOT NULL, events TEXT NOT NULL);
        CREATE INDEX lot_holder ON lot(holder, id);
        -- Extra tags only (a lot's id is its first tag); few indexes on random keys: each costs a page a write.
        CREATE TABLE lot_tag(tag TEXT PRIMARY KEY, lot TEXT NOT NULL);
        CREATE TABLE lot_edge(parent TEXT NOT NULL, child TEXT NOT NULL, event TEXT NOT NULL, grams BIGINT NOT NULL,
        PRIMARY KEY(parent, child));
        CREATE INDEX lot_edge_child ON lot_edge(child, parent);
        CREATE TABLE custody_flag(event TEXT NOT NULL, lot TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL, time TEXT NOT NULL,
        explanation TEXT NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY(event, lot, rule));
        CREATE INDEX custody_flag_lot ON custody_flag(lot);
        CREATE TABLE royalty_basis(lot TEXT NOT NULL, event TEXT NOT NULL, day BIGINT NOT NULL, payer TEXT NOT NULL, site TEXT NOT NULL,
        concession TEXT, mineral TEXT NOT NULL, contained_g BIGINT NOT NULL, PRIMARY KEY(lot, event));
        CREATE INDEX royalty_basis_payer ON royalty_basis(payer, day);
        CREATE TABLE site_output(site TEXT NOT NULL, mineral TEXT NOT NULL, year BIGINT NOT NULL, grams BIGINT NOT NULL,
        PRIMARY KEY(site, mineral, year));
        CREATE TABLE party_flow(party TEXT NOT NULL, mineral TEXT NOT NULL, received_g BIGINT NOT NULL, exported_g BIGINT NOT NULL,
        PRIMARY KEY(party, mineral));
        CREATE TABLE price(mineral TEXT NOT NULL, day BIGINT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(mineral, day));
        CREATE TABLE payment(id TEXT PRIMARY KEY, payer TEXT NOT NULL, stream TEXT NOT NULL, json TEXT NOT NULL);
        CREATE TABLE payment_lot(payment TEXT NOT NULL, lot TEXT NOT NULL, PRIMARY KEY(payment, lot));
        CREATE INDEX payment_lot_lot ON payment_lot(lot);
        CREATE TABLE title_site(site TEXT NOT NULL, concession TEXT NOT NULL, PRIMARY KEY(site, concession));
        """),
        ("v6-risk", """
        CREATE TABLE control_assessment(id TEXT PRIMARY KEY, controller TEXT NOT NULL, kind TEXT NOT NULL, from_day BIGINT NOT NULL,
        until_day BIGINT, confidence TEXT NOT NULL, superseded_by TEXT, cells BYTEA NOT NULL, seq BIGINT NOT NULL, json TEXT NOT NULL);
        CREATE TABLE site_visit(id TEXT PRIMARY KEY, site TEXT NOT NULL, day BIGINT NOT NULL, nonstate BIGINT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX site_visit_site ON site_visit(site, day);
        CREATE TABLE conflict_event(id TEXT PRIMARY KEY, day BIGINT NOT NULL, event_type TEXT NOT NULL, json TEXT NOT NULL);
        CREATE TABLE control_proposal(event TEXT PRIMARY KEY, kind TEXT NOT NULL, day BIGINT NOT NULL, actor TEXT NOT NULL,
        latitude TEXT NOT NULL, longitude TEXT NOT NULL, location TEXT);
        CREATE TABLE site_status(site TEXT NOT NULL, day BIGINT NOT NULL, status TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(site, day));
        CREATE TABLE lot_route(lot TEXT NOT NULL, seq BIGINT NOT NULL, site TEXT NOT NULL, time BIGINT NOT NULL, PRIMARY KEY(lot, seq));
        """),
        ("v7-token-expiry", """
        ALTER TABLE api_token ADD COLUMN expires TEXT; ALTER TABLE api_token ADD COLUMN last_used TEXT;
        """),
        ("v8-log-keys", """
        CREATE TABLE log_key(seq BIGINT PRIMARY KEY, vkey TEXT NOT NULL UNIQUE, until TEXT NOT NULL)
        """),
        ("v9-log-head", """
        -- The coordination row every log write locks first (SELECT ... FOR UPDATE), so several servers
        -- hand out the journal's sequence numbers in one order.
        CREATE TABLE log_head(id BIGINT PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL);
        INSERT INTO log_head(id, size) VALUES (1, 0);
        """),
        ("v10-view-indexes", """
        -- The newest entry of each type (view generations) and the custody events a party signed (its page).
        CREATE INDEX journal_type ON journal(type, seq);
        CREATE INDEX custody_event_party ON custody_event(party, seq);
        """),
        ("v11-party-search", """
        -- Search by any part of a party's id or name (lower-cased), at millions of parties: trigram indexes
        -- (pg_trgm, a trusted extension shipped with PostgreSQL). Filled from the parties already registered.
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE TABLE party_search(seq BIGINT PRIMARY KEY, id TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL);
        CREATE INDEX party_search_key ON party_search USING gin (key gin_trgm_ops);
        CREATE INDEX party_search_name ON party_search USING gin (name gin_trgm_ops);
        """),
        ("v12-agreement-signatures", """
        -- Each party's signature of an agreement's terms (sign-agreement), one per party.
        CREATE TABLE agreement_signature(agreement TEXT NOT NULL, party TEXT NOT NULL, key TEXT NOT NULL, time TEXT NOT NULL,
            seq BIGINT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(agreement, party));
        """),
        ("v13-reserves", """
        -- Reserves of assets under an agreement, offers that open first-offer windows, and their answers.
        CREATE TABLE reserve(id TEXT PRIMARY KEY, agreement TEXT NOT NULL, sealed BIGINT NOT NULL, json TEXT NOT NULL);
        CREATE TABLE reserve_asset(reserve TEXT NOT NULL, asset TEXT NOT NULL, minerals BIGINT NOT NULL, cells BYTEA NOT NULL, PRIMARY KEY(reserve, asset));
        CREATE TABLE asset_offer(id TEXT PRIMARY KEY, reserve TEXT NOT NULL, asset TEXT NOT NULL, beneficiary TEXT NOT NULL,
            opens BIGINT NOT NULL, closes BIGINT NOT NULL, months BIGINT NOT NULL, status TEXT NOT NULL, seq BIGINT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX asset_offer_asset ON asset_offer(reserve, asset, seq);
        CREATE INDEX asset_offer_open ON asset_offer(status, opens);
        CREATE TABLE offer_resolution(seq BIGINT PRIMARY KEY, offer TEXT NOT NULL, status TEXT NOT NULL, date BIGINT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX offer_resolution_offer ON offer_resolution(offer, seq);
        """),
        ("v14-agreement-links", """
        -- Links between agreements (a minerals agreement paired with, or conditional on, a peace agreement).
        CREATE TABLE agreement_link(agreement TEXT NOT NULL, linked TEXT NOT NULL, relation TEXT NOT NULL, seq BIGINT NOT NULL,
            json TEXT NOT NULL, PRIMARY KEY(agreement, linked));
        CREATE INDEX agreement_link_linked ON agreement_link(linked);
        """),
        ("v15-negotiation-events", """
        -- The negotiation on the record: dated events, the parties they name (and how) and the agreements they concern.
        CREATE TABLE negotiation_event(id TEXT PRIMARY KEY, day BIGINT NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX negotiation_event_day ON negotiation_event(day, id);
        CREATE TABLE event_party(event TEXT NOT NULL, party TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY(event, party, role));
        CREATE INDEX event_party_party ON event_party(party);
        CREATE TABLE event_agreement(event TEXT NOT NULL, agreement TEXT NOT NULL, PRIMARY KEY(event, agreement));
        CREATE INDEX event_agreement_agreement ON event_agreement(agreement);
        """),
        ("v16-source-claims", """
        -- What each source says about a fact, side by side; at most one per subject and field is used.
        CREATE TABLE source_claim(id TEXT PRIMARY KEY, subject TEXT NOT NULL, field TEXT NOT NULL, used BIGINT NOT NULL,
            seq BIGINT NOT NULL, json TEXT NOT NULL);
        CREATE INDEX source_claim_subject ON source_claim(subject, field);
        """),
        ("v17-national-output", """
        -- Published national production per mineral and year: what aggregates state their coverage against.
        CREATE TABLE national_output(mineral TEXT NOT NULL, year BIGINT NOT NULL, json TEXT NOT NULL, PRIMARY KEY(mineral, year));
        """),
        ("v18-entry-keys", """
        -- The keys each journal entry touches (EntryKeys), for feeds, subscriptions and monitors; filled outside
        -- the write path up to meta 'entry_key_hwm'. Derived from the journal alone: not a projection.
        CREATE TABLE entry_key(key TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY(key, seq));
        """),
        ("v19-subscriptions", """
        -- Webhook subscriptions and how far each was delivered (operational state, not in the journal).
        CREATE TABLE subscription(id TEXT PRIMARY KEY, url TEXT NOT NULL, match TEXT NOT NULL, created_by TEXT NOT NULL,
            created TEXT NOT NULL, cursor BIGINT NOT NULL, attempts BIGINT NOT NULL, next_attempt TEXT, last_error TEXT,
            delivered BIGINT NOT NULL, lease_holder TEXT, lease_until TEXT);
        """),
        ("v20-index-checkpoints", """
        -- Signed roots of the verifiable index, per input checkpoint size: `assay verify` rebuilds the index and compares.
        -- pos: the note's place in the index log (the output log of roots), for roots above every root already logged.
        CREATE TABLE index_checkpoint(size BIGINT PRIMARY KEY, root TEXT NOT NULL, note TEXT NOT NULL, pos BIGINT UNIQUE);
        """),
    ]

    /// Applies the migrations not yet applied, in one transaction.
    static func migrate(_ db: any SQLConnection) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations(name TEXT PRIMARY KEY, applied TEXT NOT NULL DEFAULT now()::text)")
        try db.execute("SELECT pg_advisory_xact_lock(7422001)")
        let done = Set(try db.values(String.self, "SELECT name FROM schema_migrations"))
        for m in migrations where !done.contains(m.name) {
            // Comments out first (they may hold a `;`), then one statement at a time (the extended protocol takes one).
            let code = m.sql.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("--") }.joined(separator: "\n")
            for statement in code.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) }) where !statement.isEmpty {
                try db.execute(statement)
            }
            // Lower-casing is Swift's (Unicode), as the projector does, not the database's (C locale: ASCII only).
            if m.name == "v11-party-search" { try RelationalStore.fillPartySearch(db) }
            try db.execute("INSERT INTO schema_migrations(name) VALUES (?)", [m.name])
        }
    }
}
