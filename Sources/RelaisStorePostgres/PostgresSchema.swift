/// The versioned schema of the PostgreSQL store. Each migration runs once, in the migrating
/// transaction, and is recorded in `relais_migrations`. Never edit a registered migration: add
/// "v2", "v3"… It starts where the SQLite schema is after its "v5" (receipts in the envelope row,
/// as tombstones), with the audit log split into pending entries and the sequenced log.
///
/// Identifiers are their 16 raw bytes (`bytea`, which orders like SQLite's BLOB: byte by byte);
/// times are Unix seconds (`bigint`); signed objects are their exact signed bytes plus signature.
enum PostgresSchema {
    struct Migration {
        let id: String
        let statements: [String]
    }

    static let migrations: [Migration] = [
        Migration(id: "v1", statements: [
            """
            CREATE TABLE organisations (
                id bytea PRIMARY KEY,
                record bytea NOT NULL,
                signature bytea NOT NULL,
                category text NOT NULL,
                sequence bigint NOT NULL,
                accredited_until bigint
            )
            """,
            "CREATE INDEX organisations_by_category ON organisations (category, id)",
            """
            CREATE TABLE organisation_departements (
                organisation_id bytea NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
                departement text NOT NULL,
                position integer NOT NULL,
                PRIMARY KEY (organisation_id, departement)
            )
            """,
            "CREATE INDEX organisation_departements_by_code ON organisation_departements (departement, organisation_id)",
            """
            CREATE TABLE devices (
                id bytea PRIMARY KEY,
                public_key bytea NOT NULL,
                organisation_id bytea,
                role text NOT NULL,
                status text NOT NULL,
                invite_id bytea NOT NULL,
                enroller bytea NOT NULL,
                record bytea,
                record_signature bytea,
                revocation bytea,
                revocation_signature bytea,
                created_at bigint NOT NULL,
                activated_at bigint,
                revoked_at bigint
            )
            """,
            "CREATE INDEX devices_by_organisation ON devices (organisation_id, id)",
            "CREATE INDEX devices_by_enroller ON devices (enroller, status, created_at)",
            """
            CREATE TABLE invites (
                id bytea PRIMARY KEY,
                secret_hash bytea NOT NULL,
                organisation_id bytea,
                role text NOT NULL,
                issued_by bytea,
                created_at bigint NOT NULL,
                expires_at bigint NOT NULL,
                redeemed_by bytea,
                redeemed_at bigint
            )
            """,
            """
            CREATE TABLE prekeys (
                device_id bytea NOT NULL,
                prekey_id bytea NOT NULL,
                record bytea NOT NULL,
                created_at bigint NOT NULL,
                not_after bigint NOT NULL,
                PRIMARY KEY (device_id, prekey_id)
            )
            """,
            "CREATE INDEX prekeys_by_age ON prekeys (device_id, created_at)",
            // `deleted_at` set: a tombstone (bytes emptied, deliveries deleted) kept until expiry as
            // the receipt that makes a late retry a duplicate.
            """
            CREATE TABLE envelopes (
                id bytea PRIMARY KEY,
                sender_device bytea NOT NULL,
                sender_org bytea NOT NULL,
                bytes bytea NOT NULL,
                byte_count integer NOT NULL,
                digest bytea NOT NULL,
                size_class smallint NOT NULL,
                consent_kind smallint NOT NULL,
                consent_id bytea NOT NULL,
                submitted_at bigint NOT NULL,
                expires_at bigint NOT NULL,
                deleted_at bigint
            )
            """,
            // Ciphertext does not compress: stored out of line without trying.
            "ALTER TABLE envelopes ALTER COLUMN bytes SET STORAGE EXTERNAL",
            "CREATE INDEX envelopes_by_expiry ON envelopes (expires_at)",
            "CREATE INDEX envelopes_by_consent ON envelopes (consent_id)",
            """
            CREATE TABLE deliveries (
                envelope_id bytea NOT NULL REFERENCES envelopes (id) ON DELETE CASCADE,
                device_id bytea NOT NULL,
                organisation_id bytea NOT NULL,
                acknowledged_at bigint,
                PRIMARY KEY (envelope_id, device_id)
            )
            """,
            "CREATE INDEX deliveries_inbox ON deliveries (device_id, acknowledged_at, envelope_id)",
            """
            CREATE TABLE consents (
                id bytea PRIMARY KEY,
                organisation_id bytea NOT NULL,
                recorded_by bytea NOT NULL,
                record bytea NOT NULL,
                signature bytea NOT NULL,
                granted_at bigint NOT NULL,
                valid_until bigint NOT NULL,
                withdrawn_at bigint,
                withdrawal bytea,
                withdrawal_signature bytea
            )
            """,
            """
            CREATE TABLE declarations (
                id bytea PRIMARY KEY,
                organisation_id bytea NOT NULL,
                declared_by bytea NOT NULL,
                record bytea NOT NULL,
                signature bytea NOT NULL,
                declared_at bigint NOT NULL
            )
            """,
            """
            CREATE TABLE consent_recipients (
                consent_id bytea NOT NULL,
                organisation_id bytea NOT NULL,
                PRIMARY KEY (consent_id, organisation_id)
            )
            """,
            """
            CREATE TABLE withdrawal_notices (
                consent_id bytea NOT NULL,
                organisation_id bytea NOT NULL,
                created_at bigint NOT NULL,
                PRIMARY KEY (consent_id, organisation_id)
            )
            """,
            "CREATE INDEX withdrawal_notices_by_organisation ON withdrawal_notices (organisation_id, created_at)",
            // Entries committed with their changes, waiting for the sequencer; `id` orders them.
            """
            CREATE TABLE audit_pending (
                id bigserial PRIMARY KEY,
                entry bytea NOT NULL,
                leaf_hash bytea NOT NULL
            )
            """,
            // The log: index from 0, the entry's exact bytes and its RFC 9162 leaf hash.
            """
            CREATE TABLE audit_log (
                seq bigint PRIMARY KEY,
                entry bytea NOT NULL,
                leaf_hash bytea NOT NULL
            )
            """,
            // One row: the next index. The sequencer holds it FOR UPDATE while it appends.
            """
            CREATE TABLE audit_head (
                one boolean PRIMARY KEY DEFAULT true CHECK (one),
                next_seq bigint NOT NULL
            )
            """,
            "INSERT INTO audit_head (one, next_seq) VALUES (true, 0)",
        ]),
        Migration(id: "v2", statements: [
            // The relay's log public key, kept at the first start (`pinRelayKey`).
            """
            CREATE TABLE relay_identity (
                one boolean PRIMARY KEY DEFAULT true CHECK (one),
                log_public_key bytea NOT NULL
            )
            """,
            // Request nonces shared by the relays on this database (`claimNonce`).
            """
            CREATE TABLE request_nonces (
                device_id bytea NOT NULL,
                nonce text NOT NULL,
                expires_at bigint NOT NULL,
                PRIMARY KEY (device_id, nonce)
            )
            """,
            "CREATE INDEX request_nonces_by_expiry ON request_nonces (expires_at)",
        ]),
        Migration(id: "v3", statements: [
            // One operator per relay (the directory's root), whatever the number of operator invites.
            "CREATE UNIQUE INDEX devices_one_operator ON devices (role) WHERE role = 'operator'",
        ]),
        Migration(id: "v4", statements: [
            // When each device first fetched each envelope: that fetch is logged (`envelopeDelivered`).
            "ALTER TABLE deliveries ADD COLUMN delivered_at bigint",
        ]),
        Migration(id: "v5", statements: [
            // Organisation key packages (SPEC.md, "Organisation key"): opaque, sealed to their
            // target device, one per (target, giver).
            """
            CREATE TABLE organisation_key_packages (
                target_device bytea NOT NULL,
                giver_device bytea NOT NULL,
                organisation_id bytea NOT NULL,
                key_id bytea NOT NULL,
                package bytea NOT NULL,
                stored_at bigint NOT NULL,
                PRIMARY KEY (target_device, giver_device)
            )
            """,
            "CREATE INDEX organisation_key_packages_by_organisation ON organisation_key_packages (organisation_id, target_device)",
        ]),
        Migration(id: "v6", statements: [
            // A child-protection declaration serves a bounded number of reports (issue 15): its bound
            // (5 for declarations made before, version 1's), and the reports its organisation sent,
            // counted by `submit` and kept after the envelopes expire.
            "ALTER TABLE declarations ADD COLUMN max_reports integer NOT NULL DEFAULT 5",
            "ALTER TABLE declarations ADD COLUMN reports_sent integer NOT NULL DEFAULT 0",
            """
            UPDATE declarations SET reports_sent = (SELECT COUNT(*) FROM envelopes e WHERE e.consent_kind = 2
                AND e.consent_id = declarations.id AND e.sender_org = declarations.organisation_id)
            """,
        ]),
        Migration(id: "v7", statements: [
            // Child-protection reports made outside Relais and recorded (issue 15, SPEC.md "Report
            // made outside Relais"): kept so that an id is used once; logged `outsideReportRecorded`.
            """
            CREATE TABLE outside_reports (
                id bytea PRIMARY KEY,
                organisation_id bytea NOT NULL,
                recorded_by bytea NOT NULL,
                record bytea NOT NULL,
                signature bytea NOT NULL,
                reported_at bigint NOT NULL,
                recorded_at bigint NOT NULL
            )
            """,
        ]),
        Migration(id: "v8-audit-tree", statements: [
            // The audit log's tree (SPEC.md, "Storage of the tree"): the hash of every complete
            // subtree above the leaves, and how many leaves they cover, so that a relay starts and
            // proves without reading the whole log. Filled by the relays' syncs.
            """
            CREATE TABLE audit_tree (
                level smallint NOT NULL,
                idx bigint NOT NULL,
                hash bytea NOT NULL,
                PRIMARY KEY (level, idx)
            )
            """,
            """
            CREATE TABLE audit_tree_head (
                one boolean PRIMARY KEY DEFAULT true CHECK (one),
                tree_size bigint NOT NULL
            )
            """,
            "INSERT INTO audit_tree_head (one, tree_size) VALUES (true, 0)",
        ]),
        Migration(id: "v9-directory-log", statements: [
            // The directory in the log (issue 17; SPEC.md, "Directory records", "In the log"): each
            // directory entry keeps the organisation it is about (`directory_scope`, empty for the
            // relay's own devices), and each record the leaf hash of the entry that carries it, by
            // which its log index is found. Existing rows are filled from the sequenced log (the
            // entries are canonical JSON); an entry still pending at the upgrade is left without.
            "ALTER TABLE audit_pending ADD COLUMN directory_scope bytea",
            "ALTER TABLE audit_log ADD COLUMN directory_scope bytea",
            "ALTER TABLE organisations ADD COLUMN log_leaf bytea",
            "ALTER TABLE devices ADD COLUMN record_leaf bytea",
            "ALTER TABLE devices ADD COLUMN revocation_leaf bytea",
            "ALTER TABLE prekeys ADD COLUMN log_leaf bytea",
            """
            UPDATE audit_log a SET directory_scope = COALESCE(decode(x.j->>'organisation', 'hex'),
                    (SELECT d.organisation_id FROM devices d WHERE d.id = decode(x.j->>'device', 'hex')), '\\x'::bytea)
            FROM (SELECT seq, convert_from(entry, 'UTF8')::jsonb AS j FROM audit_log) x
            WHERE x.seq = a.seq AND x.j->>'kind' IN ('organisationPut', 'deviceEnrolled', 'deviceActivated', 'deviceRevoked', 'prekeyPublished')
            """,
            """
            CREATE TEMPORARY TABLE directory_records ON COMMIT DROP AS
            SELECT a.leaf_hash, x.j->>'kind' AS kind, decode(x.j->>'organisation', 'hex') AS organisation_id,
                   decode(x.j->>'device', 'hex') AS device_id, decode(x.j->>'record', 'base64') AS record,
                   decode(x.j->>'signature', 'base64') AS signature
            FROM audit_log a JOIN LATERAL (SELECT convert_from(a.entry, 'UTF8')::jsonb AS j) x ON true
            WHERE a.directory_scope IS NOT NULL AND x.j ? 'record'
            """,
            """
            UPDATE organisations o SET log_leaf = r.leaf_hash FROM directory_records r
            WHERE r.kind = 'organisationPut' AND r.organisation_id = o.id AND r.record = o.record AND r.signature = o.signature
            """,
            """
            UPDATE devices d SET record_leaf = r.leaf_hash FROM directory_records r
            WHERE r.kind = 'deviceActivated' AND r.device_id = d.id AND r.record = d.record AND r.signature = d.record_signature
            """,
            """
            UPDATE devices d SET revocation_leaf = r.leaf_hash FROM directory_records r
            WHERE r.kind = 'deviceRevoked' AND r.device_id = d.id AND r.record = d.revocation AND r.signature = d.revocation_signature
            """,
            """
            UPDATE prekeys p SET log_leaf = r.leaf_hash FROM directory_records r
            WHERE r.kind = 'prekeyPublished' AND r.device_id = p.device_id AND r.record || r.signature = p.record
            """,
            "CREATE INDEX audit_log_by_directory_scope ON audit_log (directory_scope, seq) WHERE directory_scope IS NOT NULL",
            "CREATE INDEX audit_log_directory_leaves ON audit_log (leaf_hash) WHERE directory_scope IS NOT NULL",
        ]),
    ]
}
