import RelaisCore
import RelaisCrypto
import RelaisStore

/// The relay's view of its audit log as an RFC 9162 tree, brought up to date from the store (which
/// appends entries in the same transactions as the changes) before every checkpoint or proof.
/// The tree lives in the store (`StoredAuditTree`): the relay holds its right frontier only, so its
/// memory and start-up do not depend on the log's size. Checkpoints are signed by the relay's log key.
actor AuditLogView {
    private let tree: StoredAuditTree
    let origin: String
    private let key: Ed25519PrivateKey
    private var signed: (size: UInt64, note: String)?

    init(store: any AuditLogStore, key: Ed25519PrivateKey) {
        tree = StoredAuditTree(store: store)
        self.key = key
        // C2SP origins name the log; the key id keeps two relays' logs apart.
        origin = "relais.log/" + Hex.encode(Array(SHA256.hash(key.publicKey.bytes).prefix(8)))
    }

    var verifierKey: CheckpointVerifierKey { try! CheckpointVerifierKey(name: origin, publicKey: key.publicKey) }

    /// The signed note of the current tree.
    func checkpoint() async throws -> String {
        let (size, root) = try await tree.sync()
        if let signed, signed.size >= size { return signed.note }
        let note = try Checkpoint(origin: origin, size: size, root: root).signedNote(name: origin, key: key)
        if (signed?.size ?? 0) <= size { signed = (size, note) }
        return note
    }

    func inclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] {
        _ = try await tree.sync()
        return try await tree.inclusionProof(index: index, size: size)
    }

    func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        _ = try await tree.sync()
        return try await tree.consistencyProof(from: from, to: to)
    }
}
