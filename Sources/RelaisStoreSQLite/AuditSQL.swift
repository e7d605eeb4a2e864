import Foundation
import GRDB
import RelaisCore
import RelaisCrypto
import RelaisStore

/// Appends audit-log entries inside the caller's transaction, so a state change and its entry
/// commit together or not at all. Indexes are gapless from 0: SQLite's single writer serialises
/// appends, and group-commit savepoints roll back an entry with its change.
enum AuditSQL {
    /// - Parameter organisation: the organisation of the device the entry names, for directory
    ///   entries that do not name it (`AuditEntry.init(_:organisation:)`).
    /// - Returns: the entry appended (its leaf hash is what a directory row keeps).
    @discardableResult
    static func append(_ event: AuditEvent, _ db: Database, organisation: OrganisationID? = nil) throws -> AuditEntry {
        let entry = AuditEntry(event, organisation: organisation)
        try append(entry, db)
        return entry
    }

    static func append(_ entry: AuditEntry, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, entry, leaf_hash, directory_scope) VALUES ((SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log), ?, ?, ?)
            """).execute(arguments: [Data(entry.bytes), Data(entry.leafHash), entry.directoryScope.map { Data($0) }])
    }
}
