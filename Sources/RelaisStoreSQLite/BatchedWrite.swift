import GRDB
import RelaisCore
import RelaisStore

/// A write that goes through group commit (`GroupCommitQueue`): the two hot paths of the relay.
/// Each one runs inside its own SAVEPOINT of a shared transaction, so it must be self-contained:
/// it reads what it needs inside that savepoint and either completes or throws having written
/// nothing that survives the savepoint's rollback.
/// Their audit entries are encoded before they are queued (`prepareSubmit`, `prepareAcknowledge`).
enum BatchedWrite: Sendable {
    case submit(StoredEnvelope, AuditEntry)
    case acknowledge(EnvelopeID, device: DeviceID, now: UInt64, acknowledged: AuditEntry, deleted: AuditEntry)
    case deliver(EnvelopeID, device: DeviceID, now: UInt64, delivered: AuditEntry)

    static func prepareSubmit(_ envelope: StoredEnvelope) -> BatchedWrite {
        .submit(envelope, AuditEntry(StoreAuditEvents.envelopeSubmitted(envelope)))
    }

    static func prepareAcknowledge(_ id: EnvelopeID, device: DeviceID, now: UInt64) -> BatchedWrite {
        .acknowledge(id, device: device, now: now, acknowledged: AuditEntry(StoreAuditEvents.envelopeAcknowledged(id, device: device, at: now)),
                     deleted: AuditEntry(StoreAuditEvents.envelopeDeleted(id, at: now)))
    }

    static func prepareDeliver(_ id: EnvelopeID, device: DeviceID, now: UInt64) -> BatchedWrite {
        .deliver(id, device: device, now: now, delivered: AuditEntry(StoreAuditEvents.envelopeDelivered(id, device: device, at: now)))
    }

    /// Its name in error messages.
    var operationName: String {
        switch self {
        case .submit: "submit"
        case .acknowledge: "acknowledge"
        case .deliver: "envelope"
        }
    }

    func apply(_ db: Database) throws -> BatchedWriteResult {
        switch self {
        case let .submit(envelope, entry):
            .submitted(try EnvelopeSQL.submit(envelope, entry, db))
        case let .acknowledge(id, device, now, acknowledged, deleted):
            .acknowledged(try EnvelopeSQL.acknowledge(id, device: device, now: now, entries: (acknowledged, deleted), db))
        case let .deliver(id, device, now, delivered):
            .delivered(try EnvelopeSQL.deliver(id, device: device, now: now, entry: delivered, db))
        }
    }
}

/// What a `BatchedWrite` returns to its caller, once the batch has committed.
enum BatchedWriteResult: Sendable {
    case submitted(SubmitOutcome)
    case acknowledged(AcknowledgeOutcome?)
    case delivered([UInt8]?)
}
