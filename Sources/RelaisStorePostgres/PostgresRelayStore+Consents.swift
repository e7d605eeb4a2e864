import Foundation
import NIOCore
import PostgresNIO
public import RelaisCore
public import RelaisStore

/// `ConsentStore`: one transaction per write, with the consent row locked where a submit could race.
extension PostgresRelayStore {
    public func putConsent(_ c: StoredConsent) async throws {
        let grantedAt = try StoredInteger.stored(c.grantedAt, "grantedAt"), validUntil = try StoredInteger.stored(c.validUntil, "validUntil")
        try await insertSignedRecord("putConsent", "consent", id: c.id, StoreAuditEvents.consentGranted(c, at: clock.now()), """
            INSERT INTO consents (id, organisation_id, recorded_by, record, signature, granted_at, valid_until)
            VALUES (\(PostgresCoding.bytea(c.id)), \(PostgresCoding.bytea(c.organisationID)), \(PostgresCoding.bytea(c.recordedBy)),
                    \(PostgresCoding.bytea(c.signed.bytes)), \(PostgresCoding.bytea(c.signed.signature)), \(grantedAt), \(validUntil))
            ON CONFLICT (id) DO NOTHING
            RETURNING 1
            """)
    }

    /// Inserts a new signed record (a consent, a declaration, an outside report) with `insert`
    /// (`ON CONFLICT (id) DO NOTHING RETURNING 1`) and appends its audit entry, in one
    /// transaction: an id already stored is a conflict and changes nothing.
    func insertSignedRecord<Kind>(_ operation: String, _ what: String, id: Identifier<Kind>, _ event: AuditEvent,
                                  _ insert: PostgresQuery) async throws {
        let entry = AuditEntry(event)
        try await transaction(operation) { [self] conn in
            guard !(try await conn.rows(insert, logger: logger)).isEmpty else { throw StoreError.conflict("\(what) \(id) already exists") }
            try await appendAudit([entry], conn)
        }
    }

    public func consent(_ id: ConsentID) async throws -> StoredConsent? {
        try await read("consent") { [self] conn in
            try await conn.rows("""
                SELECT id, organisation_id, recorded_by, record, signature, granted_at, valid_until, withdrawal, withdrawal_signature, withdrawn_at
                FROM consents WHERE id = \(PostgresCoding.bytea(id))
                """, logger: logger).first.map { row in
                let (id, org, by, record, signature, granted, until, withdrawal, withdrawalSignature, withdrawn) =
                    try row.decode((Data, Data, Data, Data, Data, Int64, Int64, Data?, Data?, Int64?).self)
                let t = "consents"
                return StoredConsent(id: try PostgresCoding.id(id, t), organisationID: try PostgresCoding.id(org, t),
                                     recordedBy: try PostgresCoding.id(by, t), signed: SignedObject(bytes: Array(record), signature: Array(signature)),
                                     grantedAt: try PostgresCoding.uint64(granted, t), validUntil: try PostgresCoding.uint64(until, t),
                                     withdrawal: PostgresCoding.signed(withdrawal, withdrawalSignature),
                                     withdrawnAt: try PostgresCoding.optionalUInt64(withdrawn, t))
            }
        }
    }

    public func withdrawConsent(_ id: ConsentID, withdrawal: SignedObject, at time: UInt64) async throws -> WithdrawalOutcome {
        let at = try StoredInteger.stored(time, "withdrawnAt")
        return try await transaction("withdrawConsent") { [self] conn in
            let consent = PostgresCoding.bytea(id)
            // Waits for the submits under this consent in progress (`PostgresLocks`): their envelopes are then visible below.
            try await PostgresLocks.exclusive(consent: id, conn, logger: logger)
            guard let row = try await conn.rows("SELECT withdrawn_at FROM consents WHERE id = \(consent) FOR UPDATE", logger: logger).first else {
                throw StoreError.notFound("no consent \(id)")
            }
            guard try row.decode(Int64?.self) == nil else { throw StoreError.conflict("consent \(id) is already withdrawn") }
            try await conn.run("""
                UPDATE consents SET withdrawn_at = \(at), withdrawal = \(PostgresCoding.bytea(withdrawal.bytes)),
                    withdrawal_signature = \(PostgresCoding.bytea(withdrawal.signature))
                WHERE id = \(consent)
                """, logger: logger)
            let deleted: [EnvelopeID] = try await conn.all("""
                SELECT id FROM envelopes WHERE consent_id = \(consent) AND deleted_at IS NULL ORDER BY id FOR UPDATE
                """, as: Data.self, logger: logger).map { try PostgresCoding.id($0, "envelopes") }
            for envelope in deleted { try await tombstone(envelope, at: at, conn) }
            let notified: [OrganisationID] = try await conn.all("""
                SELECT organisation_id FROM consent_recipients WHERE consent_id = \(consent) ORDER BY organisation_id
                """, as: Data.self, logger: logger).map { try PostgresCoding.id($0, "consent_recipients") }
            try await conn.run("""
                INSERT INTO withdrawal_notices (consent_id, organisation_id, created_at)
                SELECT \(consent), o, \(at) FROM unnest(\(PostgresCoding.array(notified))::bytea[]) AS t(o)
                ON CONFLICT DO NOTHING
                """, logger: logger)
            try await appendAudit([AuditEntry(StoreAuditEvents.consentWithdrawn(id, notified: notified, withdrawal: withdrawal, at: time))]
                                  + deleted.map { AuditEntry(StoreAuditEvents.envelopeDeletedByWithdrawal($0, consent: id, at: time)) }, conn)
            return WithdrawalOutcome(deletedEnvelopes: deleted, notifiedOrganisations: notified)
        }
    }

    public func putDeclaration(_ d: StoredDeclaration) async throws {
        let declaredAt = try StoredInteger.stored(d.declaredAt, "declaredAt")
        try await insertSignedRecord("putDeclaration", "declaration", id: d.id, StoreAuditEvents.declarationMade(d, at: clock.now()), """
            INSERT INTO declarations (id, organisation_id, declared_by, record, signature, declared_at, max_reports)
            VALUES (\(PostgresCoding.bytea(d.id)), \(PostgresCoding.bytea(d.organisationID)), \(PostgresCoding.bytea(d.declaredBy)),
                    \(PostgresCoding.bytea(d.signed.bytes)), \(PostgresCoding.bytea(d.signed.signature)), \(declaredAt),
                    \(Int32(clamping: d.maxReports)))
            ON CONFLICT (id) DO NOTHING
            RETURNING 1
            """)
    }

    public func declaration(_ id: ConsentID) async throws -> StoredDeclaration? {
        try await read("declaration") { [self] conn in
            try await conn.rows("""
                SELECT id, organisation_id, declared_by, record, signature, declared_at, max_reports FROM declarations
                WHERE id = \(PostgresCoding.bytea(id))
                """, logger: logger).first.map { row in
                let (id, org, by, record, signature, declared, maxReports) = try row.decode((Data, Data, Data, Data, Data, Int64, Int32).self)
                let t = "declarations"
                return StoredDeclaration(id: try PostgresCoding.id(id, t), organisationID: try PostgresCoding.id(org, t),
                                         declaredBy: try PostgresCoding.id(by, t),
                                         signed: SignedObject(bytes: Array(record), signature: Array(signature)),
                                         declaredAt: try PostgresCoding.uint64(declared, t), maxReports: Int(maxReports))
            }
        }
    }

    public func reportsSent(declaration id: ConsentID) async throws -> Int {
        try await read("reportsSent") { [self] conn in
            let rows = try await conn.rows("SELECT reports_sent FROM declarations WHERE id = \(PostgresCoding.bytea(id))", logger: logger)
            return try rows.first.map { Int(try $0.decode(Int32.self)) } ?? 0
        }
    }

    public func organisationsSent(consent: ConsentID) async throws -> [OrganisationID] {
        try await read("organisationsSent") { [self] conn in
            try await conn.all("""
                SELECT organisation_id FROM consent_recipients WHERE consent_id = \(PostgresCoding.bytea(consent)) ORDER BY organisation_id
                """, as: Data.self, logger: logger).map { try PostgresCoding.id($0, "consent_recipients") }
        }
    }

    public func notices(organisation: OrganisationID) async throws -> [SignedObject] {
        try await read("notices") { [self] conn in
            try await conn.rows("""
                SELECT c.withdrawal, c.withdrawal_signature FROM withdrawal_notices n JOIN consents c ON c.id = n.consent_id
                WHERE n.organisation_id = \(PostgresCoding.bytea(organisation)) ORDER BY n.created_at, n.consent_id
                """, logger: logger).compactMap { row in
                let (w, s) = try row.decode((Data?, Data?).self)
                return PostgresCoding.signed(w, s)
            }
        }
    }
}
