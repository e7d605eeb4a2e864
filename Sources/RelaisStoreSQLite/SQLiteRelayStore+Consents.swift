import Foundation
import GRDB
public import RelaisCore
public import RelaisStore

/// `ConsentStore`: one transaction per write, one snapshot per read.
extension SQLiteRelayStore {
    public func putConsent(_ c: StoredConsent) async throws {
        try await StoreFailure.run("putConsent") {
            try await insertSignedRecord("consent", id: c.id, into: "consents",
                                         columns: "id, organisation_id, recorded_by, record, signature, granted_at, valid_until",
                                         values: [SQLiteCoding.blob(c.id), SQLiteCoding.blob(c.organisationID), SQLiteCoding.blob(c.recordedBy),
                                                  SQLiteCoding.blob(c.signed.bytes), SQLiteCoding.blob(c.signed.signature),
                                                  try SQLiteCoding.stored(c.grantedAt, "grantedAt"), try SQLiteCoding.stored(c.validUntil, "validUntil")]) {
                StoreAuditEvents.consentGranted(c, at: $0)
            }
        }
    }

    /// Inserts a new signed record (a consent, a declaration, an outside report) and appends its
    /// audit entry, in one transaction: an id already stored is a conflict and changes nothing.
    /// `audit` gets the time of the write.
    func insertSignedRecord<Kind>(_ what: String, id: Identifier<Kind>, into table: String, columns: String, values: StatementArguments,
                                  audit: @escaping @Sendable (UInt64) -> AuditEvent) async throws {
        let placeholders = Array(repeating: "?", count: columns.split(separator: ",").count).joined(separator: ", ")
        try await directoryWrite { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE id = ?", arguments: [SQLiteCoding.blob(id)]) == nil else {
                throw StoreError.conflict("\(what) \(id) already exists")
            }
            try db.execute(sql: "INSERT INTO \(table) (\(columns)) VALUES (\(placeholders))", arguments: values)
            try AuditSQL.append(audit(clock.now()), db)
        }
    }

    public func consent(_ id: ConsentID) async throws -> StoredConsent? {
        try await StoreFailure.run("consent") {
            try cache.value(\.consents, id) { try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM consents WHERE id = ?", arguments: [SQLiteCoding.blob(id)]).map { row in
                    StoredConsent(id: try SQLiteCoding.id(row, "id", "consents"), organisationID: try SQLiteCoding.id(row, "organisation_id", "consents"),
                                  recordedBy: try SQLiteCoding.id(row, "recorded_by", "consents"),
                                  signed: SignedObject(bytes: try SQLiteCoding.bytes(row, "record", "consents"),
                                                       signature: try SQLiteCoding.bytes(row, "signature", "consents")),
                                  grantedAt: try SQLiteCoding.uint64(row, "granted_at", "consents"),
                                  validUntil: try SQLiteCoding.uint64(row, "valid_until", "consents"),
                                  withdrawal: try SQLiteCoding.optionalSigned(row, "withdrawal", "withdrawal_signature", "consents"),
                                  withdrawnAt: try SQLiteCoding.optionalUInt64(row, "withdrawn_at", "consents"))
                }
            } }
        }
    }

    public func withdrawConsent(_ id: ConsentID, withdrawal: SignedObject, at time: UInt64) async throws -> WithdrawalOutcome {
        try await StoreFailure.run("withdrawConsent") {
            try await directoryWrite { db in
                let idBlob = SQLiteCoding.blob(id)
                guard let row = try Row.fetchOne(db, sql: "SELECT withdrawn_at FROM consents WHERE id = ?", arguments: [idBlob]) else {
                    throw StoreError.notFound("no consent \(id)")
                }
                guard try SQLiteCoding.optionalUInt64(row, "withdrawn_at", "consents") == nil else {
                    throw StoreError.conflict("consent \(id) is already withdrawn")
                }
                let at = try SQLiteCoding.stored(time, "withdrawnAt")
                try db.execute(sql: "UPDATE consents SET withdrawn_at = ?, withdrawal = ?, withdrawal_signature = ? WHERE id = ?",
                               arguments: [at, SQLiteCoding.blob(withdrawal.bytes), SQLiteCoding.blob(withdrawal.signature), idBlob])
                let deleted: [EnvelopeID] = try Row.fetchAll(db, sql: "SELECT id FROM envelopes WHERE consent_id = ? AND deleted_at IS NULL ORDER BY id",
                                                             arguments: [idBlob])
                    .map { try SQLiteCoding.id($0, "id", "envelopes") }
                for envelope in deleted { try EnvelopeSQL.tombstone(SQLiteCoding.blob(envelope), at: at, db) }
                let notified: [OrganisationID] = try Row.fetchAll(db, sql: "SELECT organisation_id FROM consent_recipients WHERE consent_id = ? ORDER BY organisation_id",
                                                                  arguments: [idBlob])
                    .map { try SQLiteCoding.id($0, "organisation_id", "consent_recipients") }
                for org in notified {
                    try db.execute(sql: "INSERT OR IGNORE INTO withdrawal_notices (consent_id, organisation_id, created_at) VALUES (?, ?, ?)",
                                   arguments: [idBlob, SQLiteCoding.blob(org), at])
                }
                try AuditSQL.append(StoreAuditEvents.consentWithdrawn(id, notified: notified, withdrawal: withdrawal, at: time), db)
                for envelope in deleted {
                    try AuditSQL.append(StoreAuditEvents.envelopeDeletedByWithdrawal(envelope, consent: id, at: time), db)
                }
                return WithdrawalOutcome(deletedEnvelopes: deleted, notifiedOrganisations: notified)
            }
        }
    }

    public func putDeclaration(_ d: StoredDeclaration) async throws {
        try await StoreFailure.run("putDeclaration") {
            try await insertSignedRecord("declaration", id: d.id, into: "declarations",
                                         columns: "id, organisation_id, declared_by, record, signature, declared_at, max_reports",
                                         values: [SQLiteCoding.blob(d.id), SQLiteCoding.blob(d.organisationID), SQLiteCoding.blob(d.declaredBy),
                                                  SQLiteCoding.blob(d.signed.bytes), SQLiteCoding.blob(d.signed.signature),
                                                  try SQLiteCoding.stored(d.declaredAt, "declaredAt"), d.maxReports]) {
                StoreAuditEvents.declarationMade(d, at: $0)
            }
        }
    }

    public func declaration(_ id: ConsentID) async throws -> StoredDeclaration? {
        try await StoreFailure.run("declaration") {
            try cache.value(\.declarations, id) { try pool.read { db in
                try Row.fetchOne(db, sql: "SELECT * FROM declarations WHERE id = ?", arguments: [SQLiteCoding.blob(id)]).map { row in
                    StoredDeclaration(id: try SQLiteCoding.id(row, "id", "declarations"),
                                      organisationID: try SQLiteCoding.id(row, "organisation_id", "declarations"),
                                      declaredBy: try SQLiteCoding.id(row, "declared_by", "declarations"),
                                      signed: SignedObject(bytes: try SQLiteCoding.bytes(row, "record", "declarations"),
                                                           signature: try SQLiteCoding.bytes(row, "signature", "declarations")),
                                      declaredAt: try SQLiteCoding.uint64(row, "declared_at", "declarations"),
                                      maxReports: try SQLiteCoding.int(row, "max_reports", "declarations"))
                }
            } }
        }
    }

    public func reportsSent(declaration id: ConsentID) async throws -> Int {
        try await StoreFailure.run("reportsSent") {
            try pool.read { db in
                try Int.fetchOne(db, sql: "SELECT reports_sent FROM declarations WHERE id = ?", arguments: [SQLiteCoding.blob(id)]) ?? 0
            }
        }
    }

    public func organisationsSent(consent: ConsentID) async throws -> [OrganisationID] {
        try await StoreFailure.run("organisationsSent") {
            try pool.read { db in
                try Row.fetchAll(db, sql: "SELECT organisation_id FROM consent_recipients WHERE consent_id = ? ORDER BY organisation_id",
                                 arguments: [SQLiteCoding.blob(consent)])
                    .map { try SQLiteCoding.id($0, "organisation_id", "consent_recipients") }
            }
        }
    }

    public func notices(organisation: OrganisationID) async throws -> [SignedObject] {
        try await StoreFailure.run("notices") {
            try pool.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT c.withdrawal, c.withdrawal_signature FROM withdrawal_notices n JOIN consents c ON c.id = n.consent_id
                    WHERE n.organisation_id = ? ORDER BY n.created_at, n.consent_id
                    """, arguments: [SQLiteCoding.blob(organisation)])
                    .compactMap { try SQLiteCoding.optionalSigned($0, "withdrawal", "withdrawal_signature", "consents") }
            }
        }
    }
}
