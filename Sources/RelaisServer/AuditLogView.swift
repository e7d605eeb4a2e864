import RelaisCore
import RelaisCrypto
import RelaisStore

/// The relay's view of its audit log as an RFC 9162 tree, kept in memory and brought up to date
/// from the store (which appends entries in the same transactions as the changes) before every
/// checkpoint or proof. Checkpoints are signed by the relay's log key.
actor AuditLogView {
    private var tree = MerkleTree()
    private let store: any AuditLogStore
    let origin: String
    private let key: Ed25519PrivateKey
    private var signed: (size: UInt64, note: String)?

    init(store: any AuditLogStore, key: Ed25519PrivateKey) {
        self.store = store
        self.key = key
        // C2SP origins name the log; the key id keeps two relays' logs apart.
        origin = "relais.log/" + Hex.encode(Array(SHA256.hash(key.publicKey.bytes).prefix(8)))
    }

    var verifierKey: CheckpointVerifierKey { try! CheckpointVerifierKey(name: origin, publicKey: key.publicKey) }

    /// Appends the leaves committed since the last call.
    func sync() async throws -> MerkleTree {
        while true {
            let page = try await store.auditLeafHashes(from: tree.size, count: 10_000)
            for leaf in page { try tree.append(leafHash: leaf) }
            if page.count < 10_000 { return tree }
        }
    }

    /// The signed note of the current tree.
    func checkpoint() async throws -> String {
        let tree = try await sync()
        if let signed, signed.size == tree.size { return signed.note }
        let note = try Checkpoint(origin: origin, size: tree.size, root: tree.root).signedNote(name: origin, key: key)
        signed = (tree.size, note)
        return note
    }

    func inclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] {
        try await sync().inclusionProof(index: index, size: size)
    }

    func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        try await sync().consistencyProof(from: from, to: to)
    }
}
