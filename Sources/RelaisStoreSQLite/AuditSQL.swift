import Foundation
import GRDB
import RelaisCore
import RelaisCrypto
import RelaisStore

/// Appends audit-log entries inside the caller's transaction, so a state change and its entry
/// commit together or not at all. Indexes are gapless from 0: SQLite's single writer serialises
/// appends, and group-commit savepoints roll back an entry with its change.
enum AuditSQL {
    static func append(_ event: AuditEvent, _ db: Database) throws {
        try append(AuditEntry(event), db)
    }

    static func append(_ entry: AuditEntry, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, entry, leaf_hash) VALUES ((SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log), ?, ?)
            """).execute(arguments: [Data(entry.bytes), Data(entry.leafHash)])
    }
}
