import GRDB

/// The versioned schema. Each migration runs once, in its own transaction, and GRDB records it in
/// `grdb_migrations`; reopening a file runs only the migrations it has not seen. Never edit a
/// registered migration: add "v2", "v3"…
///
/// Integers are Unix seconds, sequences and counts (see `SQLiteCoding` for the `UInt64` range);
/// identifiers are their 16 raw bytes; signed objects are kept as their exact signed bytes plus
/// signature, never re-encoded.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE organisations (
                    id BLOB PRIMARY KEY NOT NULL,
                    record BLOB NOT NULL,
                    signature BLOB NOT NULL,
                    category TEXT NOT NULL,
                    sequence INTEGER NOT NULL,
                    accredited_until INTEGER
                );
                CREATE INDEX organisations_by_category ON organisations(category, id);

                -- One row per (organisation, département): exact match on one code, indexed.
                -- `position` keeps the record's order so a read returns the list as it was put.
                CREATE TABLE organisation_departements (
                    organisation_id BLOB NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
                    departement TEXT NOT NULL,
                    position INTEGER NOT NULL,
                    PRIMARY KEY (organisation_id, departement)
                ) WITHOUT ROWID;
                CREATE INDEX organisation_departements_by_code ON organisation_departements(departement, organisation_id);

                CREATE TABLE devices (
                    id BLOB PRIMARY KEY NOT NULL,
                    public_key BLOB NOT NULL,
                    organisation_id BLOB,
                    role TEXT NOT NULL,
                    status TEXT NOT NULL,
                    invite_id BLOB NOT NULL,
                    enroller BLOB NOT NULL,
                    record BLOB,
                    record_signature BLOB,
                    revocation BLOB,
                    revocation_signature BLOB,
                    created_at INTEGER NOT NULL,
                    -- The `at` of activateDevice / revokeDevice: kept for forensics, not returned.
                    activated_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX devices_by_organisation ON devices(organisation_id, id);
                CREATE INDEX devices_by_enroller ON devices(enroller, status, created_at);

                CREATE TABLE invites (
                    id BLOB PRIMARY KEY NOT NULL,
                    secret_hash BLOB NOT NULL,
                    organisation_id BLOB,
                    role TEXT NOT NULL,
                    issued_by BLOB,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL,
                    redeemed_by BLOB,
                    -- The `at` of redeemInvite: kept for forensics, not returned.
                    redeemed_at INTEGER
                );

                CREATE TABLE prekeys (
                    device_id BLOB NOT NULL,
                    prekey_id BLOB NOT NULL,
                    record BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    not_after INTEGER NOT NULL,
                    PRIMARY KEY (device_id, prekey_id)
                ) WITHOUT ROWID;
                CREATE INDEX prekeys_by_age ON prekeys(device_id, created_at);

                CREATE TABLE envelopes (
                    id BLOB PRIMARY KEY NOT NULL,
                    sender_device BLOB NOT NULL,
                    sender_org BLOB NOT NULL,
                    bytes BLOB NOT NULL,
                    byte_count INTEGER NOT NULL,
                    digest BLOB NOT NULL,
                    size_class INTEGER NOT NULL,
                    consent_kind INTEGER NOT NULL,
                    consent_id BLOB NOT NULL,
                    submitted_at INTEGER NOT NULL,
                    expires_at INTEGER NOT NULL
                );
                CREATE INDEX envelopes_by_expiry ON envelopes(expires_at);

                CREATE TABLE deliveries (
                    envelope_id BLOB NOT NULL REFERENCES envelopes(id) ON DELETE CASCADE,
                    device_id BLOB NOT NULL,
                    organisation_id BLOB NOT NULL,
                    acknowledged_at INTEGER,
                    PRIMARY KEY (envelope_id, device_id)
                ) WITHOUT ROWID;
                CREATE INDEX deliveries_inbox ON deliveries(device_id, acknowledged_at, envelope_id);
                """)
        }
        m.registerMigration("v2") { db in
            // What was accepted, kept until expiry even after every device acknowledged and the
            // envelope itself was deleted: a client that lost the reply and retries late gets
            // `.duplicate`, not a second delivery. Holds no ciphertext.
            try db.execute(sql: """
                CREATE TABLE envelope_receipts (
                    id BLOB PRIMARY KEY NOT NULL,
                    sender_device BLOB NOT NULL,
                    sender_org BLOB NOT NULL,
                    digest BLOB NOT NULL,
                    expires_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX envelope_receipts_by_expiry ON envelope_receipts(expires_at);
                INSERT INTO envelope_receipts (id, sender_device, sender_org, digest, expires_at)
                    SELECT id, sender_device, sender_org, digest, expires_at FROM envelopes;
                """)
        }
        m.registerMigration("v3") { db in
            // Consents' public parts, child-protection declarations, and for withdrawal: which
            // organisations were sent referrals under each consent, and the notices queued for them.
            try db.execute(sql: """
                CREATE TABLE consents (
                    id BLOB PRIMARY KEY NOT NULL,
                    organisation_id BLOB NOT NULL,
                    recorded_by BLOB NOT NULL,
                    record BLOB NOT NULL,
                    signature BLOB NOT NULL,
                    granted_at INTEGER NOT NULL,
                    valid_until INTEGER NOT NULL,
                    withdrawn_at INTEGER,
                    withdrawal BLOB,
                    withdrawal_signature BLOB
                ) WITHOUT ROWID;
                CREATE TABLE declarations (
                    id BLOB PRIMARY KEY NOT NULL,
                    organisation_id BLOB NOT NULL,
                    declared_by BLOB NOT NULL,
                    record BLOB NOT NULL,
                    signature BLOB NOT NULL,
                    declared_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE consent_recipients (
                    consent_id BLOB NOT NULL,
                    organisation_id BLOB NOT NULL,
                    PRIMARY KEY (consent_id, organisation_id)
                ) WITHOUT ROWID;
                CREATE TABLE withdrawal_notices (
                    consent_id BLOB NOT NULL,
                    organisation_id BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (consent_id, organisation_id)
                ) WITHOUT ROWID;
                CREATE INDEX withdrawal_notices_by_organisation ON withdrawal_notices(organisation_id, created_at);
                CREATE INDEX envelopes_by_consent ON envelopes(consent_id);
                """)
        }
        m.registerMigration("v4") { db in
            // The audit log: one row per entry, index from 0, the entry's exact bytes and its RFC 9162
            // leaf hash (kept so the tree can be rebuilt without rehashing).
            try db.execute(sql: """
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    entry BLOB NOT NULL,
                    leaf_hash BLOB NOT NULL
                );
                """)
        }
        m.registerMigration("v5") { db in
            // The receipt moves into the envelope row (one table and one index on a random key fewer
            // for every submit to write, BENCHMARKS.md): when its last device acknowledges an
            // envelope, or it is dropped, its row is kept as a tombstone (`deleted_at` set, bytes
            // emptied, deliveries deleted) until its expiry, so that a late retry is still
            // recognised. Receipts whose envelope was already deleted become tombstones; what a
            // receipt did not keep is filled with neutral values (no consent, times 0).
            try db.execute(sql: """
                ALTER TABLE envelopes ADD COLUMN deleted_at INTEGER;
                INSERT INTO envelopes (id, sender_device, sender_org, bytes, byte_count, digest, size_class, consent_kind,
                                       consent_id, submitted_at, expires_at, deleted_at)
                    SELECT r.id, r.sender_device, r.sender_org, X'', 0, r.digest, 0, 0, X'', 0, r.expires_at, 0
                    FROM envelope_receipts r WHERE NOT EXISTS (SELECT 1 FROM envelopes e WHERE e.id = r.id);
                DROP TABLE envelope_receipts;
                """)
        }
        m.registerMigration("v6") { db in
            // The relay's log public key, kept at its first start (`pinRelayKey`).
            try db.execute(sql: """
                CREATE TABLE relay_identity (
                    one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),
                    log_public_key BLOB NOT NULL
                );
                """)
        }
        m.registerMigration("v7") { db in
            // One operator per relay, whatever the number of operator invites a relay restarted
            // before its operator enrolled has printed: the operator key is the directory's root.
            try db.execute(sql: "CREATE UNIQUE INDEX devices_one_operator ON devices(role) WHERE role = 'operator'")
        }
        m.registerMigration("v8") { db in
            // When each device first fetched each envelope: that fetch is logged (`envelopeDelivered`).
            try db.execute(sql: "ALTER TABLE deliveries ADD COLUMN delivered_at INTEGER")
        }
        m.registerMigration("v9") { db in
            // Organisation key packages (SPEC.md, "Organisation key"): opaque, sealed to their
            // target device, one per (target, giver).
            try db.execute(sql: """
                CREATE TABLE organisation_key_packages (
                    target_device BLOB NOT NULL,
                    giver_device BLOB NOT NULL,
                    organisation_id BLOB NOT NULL,
                    key_id BLOB NOT NULL,
                    package BLOB NOT NULL,
                    stored_at INTEGER NOT NULL,
                    PRIMARY KEY (target_device, giver_device)
                ) WITHOUT ROWID;
                CREATE INDEX organisation_key_packages_by_organisation ON organisation_key_packages(organisation_id, target_device);
                """)
        }
        m.registerMigration("v10") { db in
            // A child-protection declaration serves a bounded number of reports (issue 15): its
            // bound, and the reports its organisation sent, counted by `submit` and kept after the
            // envelopes expire. Declarations made before have the bound of version 1 (5), and the
            // reports still on the relay are counted.
            try db.execute(sql: """
                ALTER TABLE declarations ADD COLUMN max_reports INTEGER NOT NULL DEFAULT 5;
                ALTER TABLE declarations ADD COLUMN reports_sent INTEGER NOT NULL DEFAULT 0;
                UPDATE declarations SET reports_sent = (SELECT COUNT(*) FROM envelopes e WHERE e.consent_kind = 2
                    AND e.consent_id = declarations.id AND e.sender_org = declarations.organisation_id);
                """)
        }
        m.registerMigration("v11") { db in
            // Child-protection reports made outside Relais and recorded (issue 15, SPEC.md "Report
            // made outside Relais"): kept so that an id is used once; logged `outsideReportRecorded`.
            try db.execute(sql: """
                CREATE TABLE outside_reports (
                    id BLOB PRIMARY KEY,
                    organisation_id BLOB NOT NULL,
                    recorded_by BLOB NOT NULL,
                    record BLOB NOT NULL,
                    signature BLOB NOT NULL,
                    reported_at INTEGER NOT NULL,
                    recorded_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v12-audit-tree") { db in
            // The audit log's tree (SPEC.md, "Storage of the tree"): the hash of every complete
            // subtree above the leaves, and how many leaves they cover, so that a relay starts and
            // proves without reading the whole log. Filled by the relay's next sync.
            try db.execute(sql: """
                CREATE TABLE audit_tree (
                    level INTEGER NOT NULL,
                    idx INTEGER NOT NULL,
                    hash BLOB NOT NULL,
                    PRIMARY KEY (level, idx)
                ) WITHOUT ROWID;
                CREATE TABLE audit_tree_head (
                    one INTEGER PRIMARY KEY NOT NULL CHECK (one = 1),
                    tree_size INTEGER NOT NULL
                );
                INSERT INTO audit_tree_head (one, tree_size) VALUES (1, 0);
                """)
        }
        m.registerMigration("v13-directory-log") { db in
            // The directory in the log (issue 17; SPEC.md, "Directory records", "In the log"): each
            // directory entry keeps the organisation it is about (`directory_scope`, empty for the
            // relay's own devices), and each record the leaf hash of the entry that carries it, by
            // which its log index is found. Existing rows are filled from the log itself.
            try db.execute(sql: """
                ALTER TABLE audit_log ADD COLUMN directory_scope BLOB;
                ALTER TABLE organisations ADD COLUMN log_leaf BLOB;
                ALTER TABLE devices ADD COLUMN record_leaf BLOB;
                ALTER TABLE devices ADD COLUMN revocation_leaf BLOB;
                ALTER TABLE prekeys ADD COLUMN log_leaf BLOB;
                """)
            try DirectoryLogSQL.backfill(db)
            try db.execute(sql: """
                CREATE INDEX audit_log_by_directory_scope ON audit_log(directory_scope, seq) WHERE directory_scope IS NOT NULL;
                CREATE INDEX audit_log_directory_leaves ON audit_log(leaf_hash) WHERE directory_scope IS NOT NULL;
                """)
        }
        return m
    }
}
