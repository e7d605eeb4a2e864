/// The one error type of the audit log (SPEC.md, "Audit log"): the Merkle tree, its proofs, and
/// checkpoints as signed notes. Every case carries the values involved, and its `description` says
/// what was wrong and what to do about it.
///
/// Hashes in messages are standard base64, the form they have in checkpoints and proofs.
public enum AuditLogError: Error, Hashable, Sendable, CustomStringConvertible {
    // MARK: Merkle tree and proofs

    /// A leaf hash or proof hash is not 32 bytes (SHA-256). `what` names it, e.g. "leaf hash" or
    /// "proof[2]".
    case invalidHashLength(what: String, expected: Int, got: Int)
    /// A leaf index is not below the tree size (a proof needs `0 <= index < size`).
    case indexOutOfRange(index: UInt64, size: UInt64)
    /// A root or proof was asked of a tree for a size larger than the leaves it holds.
    case sizeBeyondTree(requested: UInt64, treeSize: UInt64)
    /// A consistency proof was given or asked for from a larger tree to a smaller one.
    case sizesOutOfOrder(size1: UInt64, size2: UInt64)
    /// A consistency proof from the empty tree (size 0) was given or asked for. RFC 9162 defines
    /// consistency proofs only for `0 < size1`; such a proof would prove nothing.
    case consistencyFromEmptyTree(size2: UInt64)
    /// A proof does not have the number of hashes its index and sizes require.
    case wrongProofSize(expected: Int, got: Int)
    /// The root calculated from a proof is not the expected root of the tree of `size` leaves.
    case rootMismatch(size: UInt64, expected: [UInt8], calculated: [UInt8])

    // MARK: Checkpoints and signed notes

    /// The note is not a C2SP signed note (structure, UTF-8, control characters, signature lines).
    case malformedNote(String)
    /// The verified note text is not a C2SP tlog-checkpoint body.
    case malformedCheckpoint(String)
    /// A verifier key string is not `<name>+<8 hex digits>+<base64(0x01 ‖ 32-byte key)>`, or its
    /// key id does not match its name and key.
    case malformedVerifierKey(String)
    /// A key name or checkpoint origin is empty or contains a character the formats forbid.
    case invalidName(String)
    /// No signature line in the note is by the trusted key (same name and same key id): the note
    /// is signed only by keys this verifier does not know.
    case noSignatureFromKey(name: String, keyID: UInt32)
    /// A signature line by the trusted key does not verify: the note text or signature was altered.
    case badSignature(name: String, keyID: UInt32)
    /// The checkpoint verifies but names another log than the one expected.
    case originMismatch(expected: String, got: String)

    // MARK: Witnesses

    /// Fewer of the required witnesses than the quorum cosigned the checkpoint (`WitnessPolicy`).
    case tooFewCosignatures(required: Int, got: Int, witnesses: Int)

    public var description: String {
        switch self {
        case let .invalidHashLength(what, expected, got):
            "\(what) is \(got) bytes, but Merkle tree hashes are \(expected) bytes (SHA-256): the input is truncated or is not a hash"
        case let .indexOutOfRange(index, size):
            "leaf index \(index) is not in a tree of size \(size) (an index must be below the size): use a checkpoint whose size is larger than the index"
        case let .sizeBeyondTree(requested, treeSize):
            "tree size \(requested) was requested, but the tree holds only \(treeSize) leaves: ask for a size up to \(treeSize)"
        case let .sizesOutOfOrder(size1, size2):
            "consistency from size \(size1) to the smaller size \(size2) is undefined: the first size must not exceed the second (swap them, or the log was rolled back)"
        case let .consistencyFromEmptyTree(size2):
            "consistency from the empty tree (size 0) to size \(size2) proves nothing and is refused: verify the size-\(size2) checkpoint by recomputing the tree from its entries instead"
        case let .wrongProofSize(expected, got):
            "proof has \(got) hashes, but a proof for this index and these sizes has \(expected): it is truncated, padded, or for other sizes; request it again for exactly these sizes"
        case let .rootMismatch(size, expected, calculated):
            "root of the tree of size \(size) calculated from the proof is \(Base64.encode(calculated)), expected \(Base64.encode(expected)): the proof, the leaf or the root is wrong, or the log has forked"
        case let .malformedNote(why):
            "signed note is malformed: \(why)"
        case let .malformedCheckpoint(why):
            "checkpoint is malformed: \(why)"
        case let .malformedVerifierKey(why):
            "verifier key is malformed: \(why); expected <name>+<8 lowercase hex digits>+<base64 of 0x01 and the 32-byte Ed25519 key>"
        case let .invalidName(why):
            "invalid name: \(why)"
        case let .noSignatureFromKey(name, keyID):
            "the note has no signature by the trusted key \(name)+\(CheckpointVerifierKey.hex(keyID)): check that the verifier key configured for this log is the right one"
        case let .badSignature(name, keyID):
            "the signature by \(name)+\(CheckpointVerifierKey.hex(keyID)) does not verify: the note was altered or forged; refuse it"
        case let .originMismatch(expected, got):
            "checkpoint is for the log \"\(got)\", expected \"\(expected)\": it was signed for another log"
        case let .tooFewCosignatures(required, got, witnesses):
            "the checkpoint is cosigned by \(got) of the \(witnesses) known witnesses, \(required) required: the witnesses have not seen this history, or the relay did not collect their cosignatures"
        }
    }
}
