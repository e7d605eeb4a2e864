import RelaisCore
import RelaisStore
import Synchronization

/// The directory records read on every request (devices, prekeys, each device's current prekey,
/// organisations, consents, declarations), answered from memory once read from the file.
///
/// Correctness rests on two rules:
/// - every write of the store outside group commit (`SQLiteRelayStore.directoryWrite`) empties the
///   cache *after* its transaction committed (or failed), so no record older than that write is
///   served afterwards; the group-commit writes (submit, acknowledge) change none of these records;
/// - a value read from the file is kept only if no such write completed while it was being read
///   (the generation taken before the read is still current). Without that, a read that started
///   before a revocation committed could put the device back as active after the revocation
///   emptied the cache.
///
/// Misses (an unknown id) are not kept: whoever sends unknown ids cannot fill memory, and a record
/// created later is found. The cache is emptied as a whole when it holds `capacity` records.
/// It assumes that this process is the only writer of the file, as the relay is (the data folder
/// belongs to one `relais-server`); a store shared by several processes would need invalidation
/// between them.
final class DirectoryCache: Sendable {
    struct PrekeyKey: Hashable {
        let device: DeviceID
        let prekey: PrekeyID
    }

    struct Records {
        var devices: [DeviceID: StoredDevice] = [:]
        var prekeys: [PrekeyKey: StoredPrekey] = [:]
        /// `currentPrekey(device:)`: the newest of the device's prekeys.
        var currentPrekeys: [DeviceID: StoredPrekey] = [:]
        var organisations: [OrganisationID: StoredOrganisation] = [:]
        var consents: [ConsentID: StoredConsent] = [:]
        var declarations: [ConsentID: StoredDeclaration] = [:]

        var count: Int { devices.count + prekeys.count + currentPrekeys.count + organisations.count + consents.count + declarations.count }
    }

    private struct State {
        var generation: UInt64 = 0
        var records = Records()
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// The cached record at `key`, or `load()`'s answer, kept if no write completed meanwhile.
    func value<Key: Hashable & Sendable, Value: Sendable>(_ table: any WritableKeyPath<Records, [Key: Value]> & Sendable, _ key: Key,
                                     load: () throws -> Value?) rethrows -> Value? {
        let generation: UInt64
        let cached: Value?
        (generation, cached) = state.withLock { ($0.generation, $0.records[keyPath: table][key]) }
        if let cached { return cached }
        guard let loaded = try load() else { return nil }
        state.withLock { s in
            guard s.generation == generation else { return }
            if s.records.count >= capacity { s.records = Records() }
            s.records[keyPath: table][key] = loaded
        }
        return loaded
    }

    /// Forgets every record; reads in flight will not keep what they read.
    func invalidate() {
        state.withLock { s in
            s.generation &+= 1
            s.records = Records()
        }
    }

    /// Records held now (for tests).
    var count: Int { state.withLock { $0.records.count } }
}
