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
        try append(Entry(event), db)
    }

    static func append(_ entry: Entry, _ db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO audit_log (seq, entry, leaf_hash) VALUES ((SELECT COALESCE(MAX(seq) + 1, 0) FROM audit_log), ?, ?)
            """).execute(arguments: [entry.bytes, entry.leafHash])
    }

    /// An entry encoded and hashed ahead of its transaction: the group-commit writes prepare theirs
    /// on the caller's thread, so the single writer only inserts.
    struct Entry: Sendable {
        let bytes: Data
        let leafHash: Data

        init(_ event: AuditEvent) {
            let entry = event.encoded
            bytes = Data(entry)
            leafHash = Data(SHA256.hash([0x00] + entry))
        }
    }

    static func event(_ kind: AuditEvent.Kind, _ time: UInt64, _ fill: (inout AuditEvent) -> Void) -> AuditEvent {
        var e = AuditEvent(kind: kind, time: time)
        fill(&e)
        return e
    }
}
