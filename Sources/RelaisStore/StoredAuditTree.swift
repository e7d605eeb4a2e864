import RelaisCore

/// The relay's audit-log tree kept in the store (SPEC.md, "Storage of the tree"): in memory only
/// its right frontier (`MerkleFrontier`, `O(log size)` hashes), in the store the hash of every
/// complete subtree. `sync` brings it up to the log after entries commit, storing the subtrees
/// they complete (the submit path never hashes the tree); a crash before that store is repaired
/// by the next `sync`, which starts again from the store's `auditTreeSize()`. Start-up reads the
/// frontier's few subtrees, and a proof reads `O(log size)` stored hashes, whatever the log's size.
/// Proofs are `MerkleProofPlan`'s, as the in-memory `MerkleTree`'s, byte for byte.
public actor StoredAuditTree {
    private let store: any AuditLogStore
    private let pageSize: Int
    private var frontier = MerkleFrontier()

    /// - Parameter pageSize: leaves read, and subtrees stored, per step of `sync`.
    public init(store: any AuditLogStore, pageSize: Int = 10_000) {
        self.store = store
        self.pageSize = max(1, pageSize)
    }

    /// The leaves the tree holds (as of the last `sync`).
    public var size: UInt64 { frontier.size }

    /// Appends the entries committed since the last call, storing the subtrees they complete, and
    /// returns the tree's size and root. A store whose tree is further on (another relay on the
    /// same database, or this relay before a restart) gives its frontier instead of its leaves.
    public func sync() async throws -> (size: UInt64, root: [UInt8]) {
        while true {
            let stored = try await store.auditTreeSize()
            if stored > frontier.size {
                let hashes = try await store.auditSubtreeHashes(MerkleFrontier.subtrees(size: stored))
                let loaded: MerkleFrontier
                do { loaded = try MerkleFrontier(size: stored, hashes: hashes) } catch { throw Self.damaged(error) }
                if loaded.size > frontier.size { frontier = loaded }
                continue
            }
            var next = frontier
            let page = try await store.auditLeafHashes(from: next.size, count: pageSize)
            var nodes: [(MerkleSubtree, [UInt8])] = []
            nodes.reserveCapacity(page.count)
            do {
                for leaf in page { try next.append(leafHash: leaf) { nodes.append(($0, $1)) } }
            } catch { throw Self.damaged(error) }
            if !page.isEmpty { try await store.storeAuditSubtrees(nodes, treeSize: next.size) }
            // Another sync may have run meanwhile: the tree only moves forward.
            if next.size > frontier.size { frontier = next }
            if page.count < pageSize { return (frontier.size, frontier.root) }
        }
    }

    /// A stored hash that is not one (a damaged store) is the store's failure, not the caller's.
    private static func damaged(_ error: AuditLogError) -> StoreError {
        StoreError.database("the stored audit log or its tree is damaged (\(error)): restore the store")
    }

    /// `PATH(index, D[size])`, from the stored subtrees. Requires `index < size <= self.size`.
    ///
    /// - Throws: `AuditLogError.sizeBeyondTree` or `.indexOutOfRange`, as `MerkleTree`.
    public func inclusionProof(index: UInt64, size: UInt64) async throws -> [[UInt8]] {
        guard size <= frontier.size else { throw AuditLogError.sizeBeyondTree(requested: size, treeSize: frontier.size) }
        return try await hashes(of: MerkleProofPlan.inclusion(index: index, size: size))
    }

    /// `PROOF(from, D[to])`, from the stored subtrees. Requires `0 < from <= to <= self.size`.
    ///
    /// - Throws: `AuditLogError.sizeBeyondTree`, `.sizesOutOfOrder` or `.consistencyFromEmptyTree`, as `MerkleTree`.
    public func consistencyProof(from: UInt64, to: UInt64) async throws -> [[UInt8]] {
        guard to <= frontier.size else { throw AuditLogError.sizeBeyondTree(requested: to, treeSize: frontier.size) }
        return try await hashes(of: MerkleProofPlan.consistency(from: from, to: to))
    }

    /// The hash of each range, from one read of the subtrees they need.
    private func hashes(of ranges: [Range<UInt64>]) async throws -> [[UInt8]] {
        let needed = MerkleProofPlan.subtrees(of: ranges)
        let found = needed.isEmpty ? [] : try await store.auditSubtreeHashes(needed)
        guard found.count == needed.count else {
            throw StoreError.database("the store gave \(found.count) of the \(needed.count) audit-tree hashes asked")
        }
        let byTree = Dictionary(uniqueKeysWithValues: zip(needed, found))
        return ranges.map { range in MerkleProofPlan.hash(of: range) { byTree[$0]! } }
    }
}
