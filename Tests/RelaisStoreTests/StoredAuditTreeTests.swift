import Foundation
import GRDB
import RelaisCore
import RelaisStore
import RelaisStoreSQLite
import Testing

/// The relay's stored tree (`StoredAuditTree`) gives the in-memory `MerkleTree`'s roots and proofs
/// byte for byte, on every store, across syncs of random sizes, restarts and a lost sync.
@Suite("Stored audit tree")
struct StoredAuditTreeTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    /// A deterministic generator, so that a failure can be replayed.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Appends `count` entries (submissions) after the `first` already there.
    func append(_ count: Int, after first: Int, to store: any RelayStore) async throws {
        for n in first ..< first + count { _ = try await store.submit(Fixture.envelope(n, to: [2])) }
    }

    /// Every proof of sizes `1...tree.size` the stored tree gives equals the in-memory tree's, for
    /// a sample of indexes and pairs.
    func expectSameProofs(_ stored: StoredAuditTree, _ tree: MerkleTree, rng: inout Seeded) async throws {
        let n = tree.size
        for size in 1...n {
            for _ in 0..<3 {
                let index = UInt64.random(in: 0..<size, using: &rng)
                #expect(try await stored.inclusionProof(index: index, size: size) == tree.inclusionProof(index: index, size: size),
                        "PATH(\(index), D[\(size)])")
                let from = UInt64.random(in: 1...size, using: &rng)
                #expect(try await stored.consistencyProof(from: from, to: size) == tree.consistencyProof(from: from, to: size),
                        "PROOF(\(from), D[\(size)])")
            }
        }
    }

    @Test(arguments: StoreKind.available) func proofsEqualTheInMemoryTreeAcrossSyncsAndRestarts(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        var rng = Seeded(state: 18)
        #expect(try await StoredAuditTree(store: store).sync().root == MerkleHashing.emptyRoot)
        // Syncs after batches of random sizes, in pages of 5 leaves: subtrees complete across both.
        let stored = StoredAuditTree(store: store, pageSize: 5)
        var size = 0
        for _ in 0..<8 {
            let batch = Int.random(in: 1...23, using: &rng)
            try await append(batch, after: size, to: store)
            size += batch
            let (synced, root) = try await stored.sync()
            let tree = try MerkleTree(leafHashes: try await store.auditLeafHashes(from: 0, count: size + 1))
            #expect(synced == UInt64(size) && root == tree.root, "size \(size)")
            #expect(try await store.auditTreeSize() == UInt64(size))
        }
        let tree = try MerkleTree(leafHashes: try await store.auditLeafHashes(from: 0, count: size + 1))
        try await expectSameProofs(stored, tree, rng: &rng)
        // Errors as the in-memory tree's.
        await #expect(throws: AuditLogError.sizeBeyondTree(requested: tree.size + 1, treeSize: tree.size)) {
            try await stored.inclusionProof(index: 0, size: tree.size + 1)
        }
        await #expect(throws: AuditLogError.indexOutOfRange(index: 3, size: 3)) { try await stored.inclusionProof(index: 3, size: 3) }
        await #expect(throws: AuditLogError.consistencyFromEmptyTree(size2: 3)) { try await stored.consistencyProof(from: 0, to: 3) }

        // A restart: the frontier is read from the store, no leaf is hashed again.
        let restarted = StoredAuditTree(store: store)
        let (restartedSize, restartedRoot) = try await restarted.sync()
        #expect(restartedSize == tree.size && restartedRoot == tree.root)
        try await expectSameProofs(restarted, tree, rng: &rng)

        // Entries committed and never synced (a crash before the tree was stored): the next start repairs it.
        try await append(11, after: size, to: store)
        size += 11
        #expect(try await store.auditTreeSize() == tree.size)
        let repaired = StoredAuditTree(store: store, pageSize: 4)
        let (repairedSize, repairedRoot) = try await repaired.sync()
        let grown = try MerkleTree(leafHashes: try await store.auditLeafHashes(from: 0, count: size + 1))
        #expect(repairedSize == UInt64(size) && repairedRoot == grown.root)
        try await expectSameProofs(repaired, grown, rng: &rng)
        // The relay that stopped earlier catches up from the store too.
        #expect(try await restarted.sync().root == grown.root)
    }

    /// Two relays on one store (PostgreSQL's deployment): each syncs in turn, and stores the same
    /// subtrees as the other at times; both give the same roots and proofs.
    @Test(arguments: StoreKind.available) func twoTreesOnOneStoreAgree(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        var rng = Seeded(state: 9162)
        let a = StoredAuditTree(store: store, pageSize: 3), b = StoredAuditTree(store: store, pageSize: 7)
        var size = 0
        for round in 0..<6 {
            let batch = Int.random(in: 1...9, using: &rng)
            try await append(batch, after: size, to: store)
            size += batch
            async let ra = a.sync()
            async let rb = round.isMultiple(of: 2) ? b.sync() : (size: UInt64(0), root: [UInt8]())
            let (x, y) = try await (ra, rb)
            if round.isMultiple(of: 2) { #expect(x.root == y.root && x.size == y.size) }
        }
        let tree = try MerkleTree(leafHashes: try await store.auditLeafHashes(from: 0, count: size + 1))
        #expect(try await b.sync().root == tree.root)
        try await expectSameProofs(a, tree, rng: &rng)
        try await expectSameProofs(b, tree, rng: &rng)
    }

    /// A stored hash gone missing is the store's failure (`database`), not a wrong proof.
    @Test func aMissingStoredHashFailsTheProof() async throws {
        let store = try SQLiteRelayStore(path: directory.databasePath)
        try await append(8, after: 0, to: store)
        let stored = StoredAuditTree(store: store)
        _ = try await stored.sync()
        _ = try await stored.inclusionProof(index: 0, size: 8)
        try store.close()
        let queue = try DatabaseQueue(path: directory.databasePath)
        try await queue.write { db in try db.execute(sql: "DELETE FROM audit_tree WHERE level = 2 AND idx = 1") }
        try queue.close()
        let reopened = try SQLiteRelayStore(path: directory.databasePath)
        let restarted = StoredAuditTree(store: reopened)
        #expect(try await restarted.sync().size == 8, "the frontier (one subtree of 8) is still there")
        await expectStoreError(.database) { _ = try await restarted.inclusionProof(index: 0, size: 8) }
        _ = try await restarted.inclusionProof(index: 4, size: 8)  // its path does not need the lost hash
    }
}
