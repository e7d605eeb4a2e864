import Logging
public import RelaisCore
import RelaisStore

extension Relay {
    /// Deletes every expired envelope, then compacts the store so their bytes survive in no file.
    /// Expired envelopes are never served even before this runs (the store checks expiry on read).
    @discardableResult
    public func purgeExpired() async throws -> [EnvelopeID] {
        let ids = try await storeCall { try await store.purgeExpired(now: clock.now()) }
        metrics.purged(ids.count)
        try await storeCall { try await store.compact() }
        if !ids.isEmpty { logger.info("purged expired envelopes", metadata: ["count": .stringConvertible(ids.count)]) }
        return ids
    }
}
