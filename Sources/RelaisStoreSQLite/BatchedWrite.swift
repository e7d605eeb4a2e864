import GRDB
import RelaisCore
import RelaisStore

/// A write that goes through group commit (`GroupCommitQueue`): the two hot paths of the relay.
/// Each one runs inside its own SAVEPOINT of a shared transaction, so it must be self-contained:
/// it reads what it needs inside that savepoint and either completes or throws having written
/// nothing that survives the savepoint's rollback.
enum BatchedWrite: Sendable {
    case submit(StoredEnvelope)
    case acknowledge(EnvelopeID, device: DeviceID, now: UInt64)

    /// Its name in error messages.
    var operationName: String {
        switch self {
        case .submit: "submit"
        case .acknowledge: "acknowledge"
        }
    }

    func apply(_ db: Database) throws -> BatchedWriteResult {
        switch self {
        case let .submit(envelope):
            .submitted(try EnvelopeSQL.submit(envelope, db))
        case let .acknowledge(id, device, now):
            .acknowledged(try EnvelopeSQL.acknowledge(id, device: device, now: now, db))
        }
    }
}

/// What a `BatchedWrite` returns to its caller, once the batch has committed.
enum BatchedWriteResult: Sendable {
    case submitted(SubmitOutcome)
    case acknowledged(AcknowledgeOutcome?)
}
