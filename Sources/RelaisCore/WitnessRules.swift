/// Why a witness refuses to cosign (c2sp.org/tlog-witness, add-checkpoint), with the HTTP status
/// the protocol gives each case.
public enum WitnessRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// 400: the body is not an add-checkpoint request, or its note is not a checkpoint.
    case malformed(String)
    /// 404: the witness knows no log of this origin.
    case unknownLog(origin: String)
    /// 403: the log's key did not sign the note, or its signature does not verify.
    case notSignedByLog(AuditLogError)
    /// 400: the old size is larger than the checkpoint's.
    case oldSizeBeyondCheckpoint(oldSize: UInt64, size: UInt64)
    /// 409: the old size is not the size of the checkpoint the witness last cosigned (`latestSize`,
    /// 0 for none); the answer's body is that size.
    case conflict(latestSize: UInt64)
    /// 422: the proof does not link the last cosigned checkpoint to this one (a fork when the
    /// signature verified), or an empty tree with another root, or a proof from size 0.
    case inconsistent(AuditLogError)

    public var status: Int {
        switch self {
        case .malformed, .oldSizeBeyondCheckpoint: 400
        case .notSignedByLog: 403
        case .unknownLog: 404
        case .conflict: 409
        case .inconsistent: 422
        }
    }

    public var description: String {
        switch self {
        case let .malformed(why): "not an add-checkpoint request: \(why)"
        case let .unknownLog(origin): "this witness does not know the log \"\(origin)\""
        case let .notSignedByLog(error): "the checkpoint is not signed by the log's key: \(error)"
        case let .oldSizeBeyondCheckpoint(old, size): "old size \(old) is larger than the checkpoint's size \(size)"
        case let .conflict(latest): "old size does not match the size of the last checkpoint this witness cosigned, \(latest)"
        case let .inconsistent(error): "the checkpoint is not consistent with the last one this witness cosigned: \(error)"
        }
    }
}

/// What a witness does with an add-checkpoint request (c2sp.org/tlog-witness; SPEC.md,
/// "Witnesses"), without I/O: the witness keeps, per log origin, the last checkpoint it cosigned,
/// and cosigns a new one only if it is signed by the log's key and is an append-only extension of
/// that one (`Checkpoint.verifyExtended`, the rule every device applies too).
public struct WitnessDecision: Sendable {
    /// The checkpoint, once its log signature verified (nil before).
    public let checkpoint: Checkpoint?
    /// The log key that verified it.
    public let log: CheckpointVerifierKey?
    /// Nil: cosign `checkpoint`, and keep it as the last cosigned one.
    public let refusal: WitnessRefusal?
    /// The log signed a checkpoint that is not an extension of the last one this witness cosigned
    /// (a smaller tree, or one the proof does not link): both are proof that the log forked or
    /// rolled back, to keep (the protocol allows logging it; Relais keeps it as evidence).
    public let isEvidence: Bool

    /// Decides on `request`.
    ///
    /// - Parameters:
    ///   - logs: the log keys this witness trusts; a log's origin is its key's name.
    ///   - latest: the last checkpoint cosigned for an origin, nil for none.
    public static func decide(_ request: AddCheckpointRequest, logs: [CheckpointVerifierKey],
                              latest: (String) -> Checkpoint?) -> WitnessDecision {
        func refuse(_ r: WitnessRefusal, _ c: Checkpoint? = nil, _ log: CheckpointVerifierKey? = nil, evidence: Bool = false) -> WitnessDecision {
            WitnessDecision(checkpoint: c, log: log, refusal: r, isEvidence: evidence)
        }
        let note: CheckpointNote
        do { note = try CheckpointNote(parsing: request.note) } catch { return refuse(.malformed("\(error)")) }
        // The origin is read before the signature is checked only to choose the key.
        let origin = String(decoding: note.text.utf8.prefix { $0 != 0x0A }, as: UTF8.self)
        guard let log = logs.first(where: { $0.name.utf8.elementsEqual(origin.utf8) }) else { return refuse(.unknownLog(origin: origin)) }
        let checkpoint: Checkpoint
        do throws(AuditLogError) {
            checkpoint = try Checkpoint.verify(note: request.note, verifier: log)
        } catch {
            switch error {
            case .noSignatureFromKey, .badSignature: return refuse(.notSignedByLog(error))
            default: return refuse(.malformed("\(error)"))
            }
        }
        let last = latest(origin)
        // A signed tree smaller than one already cosigned is a rollback, whatever the old size says.
        let rolledBack = last.map { checkpoint.size < $0.size } ?? false
        guard request.oldSize <= checkpoint.size else {
            return refuse(.oldSizeBeyondCheckpoint(oldSize: request.oldSize, size: checkpoint.size), checkpoint, log, evidence: rolledBack)
        }
        guard request.oldSize == last?.size ?? 0 else {
            return refuse(.conflict(latestSize: last?.size ?? 0), checkpoint, log, evidence: rolledBack)
        }
        if checkpoint.size == 0, checkpoint.root != MerkleHashing.emptyRoot {
            return refuse(.inconsistent(.rootMismatch(size: 0, expected: MerkleHashing.emptyRoot, calculated: checkpoint.root)), checkpoint, log)
        }
        do throws(AuditLogError) {
            // Every tree extends the empty one, with an empty proof.
            let base = if let last { last } else { try Checkpoint(origin: origin, size: 0, root: MerkleHashing.emptyRoot) }
            try base.verifyExtended(by: checkpoint, proof: request.proof)
        } catch {
            return refuse(.inconsistent(error), checkpoint, log, evidence: (last?.size ?? 0) > 0)
        }
        return WitnessDecision(checkpoint: checkpoint, log: log, refusal: nil, isEvidence: false)
    }
}
