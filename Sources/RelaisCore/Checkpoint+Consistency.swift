/// Whether a newer verified checkpoint extends an older one: the one rule a device applies at each
/// contact with the relay (SPEC.md, "The client's log state") and an auditor applies between two
/// verifications (SPEC.md, "Auditor verification"). Both checkpoints MUST already be verified
/// (`Checkpoint.verify`); this checks only that the log did not shrink or fork between them.
extension Checkpoint {
    /// Verifies that `newer` is an append-only extension of `self`, with `proof` the RFC 9162
    /// consistency proof from `self.size` to `newer.size` (empty when the sizes are equal).
    ///
    /// Every tree extends the empty tree: from size 0 the proof must be empty and anything is
    /// accepted (RFC 9162 defines no proof from 0; `MerkleTree.verifyConsistency` refuses one).
    ///
    /// - Throws: `AuditLogError.originMismatch` when `newer` is of another log;
    ///   `.sizesOutOfOrder(size1:size2:)` when `newer` is smaller (a rollback);
    ///   `.wrongProofSize` or `.rootMismatch` (and the other failures of
    ///   `MerkleTree.verifyConsistency`) when the proof does not link the two roots (a fork: for
    ///   equal sizes, two different roots).
    public func verifyExtended(by newer: Checkpoint, proof: [[UInt8]]) throws(AuditLogError) {
        guard newer.origin.utf8.elementsEqual(origin.utf8) else { throw .originMismatch(expected: origin, got: newer.origin) }
        guard size <= newer.size else { throw .sizesOutOfOrder(size1: size, size2: newer.size) }
        if size == 0 {
            guard proof.isEmpty else { throw .wrongProofSize(expected: 0, got: proof.count) }
            return
        }
        try MerkleTree.verifyConsistency(size1: size, size2: newer.size, root1: root, root2: newer.root, proof: proof)
    }
}
