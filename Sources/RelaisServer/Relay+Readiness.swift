import Foundation
import HTTPTypes
import RelaisStore
import RelaisStoreSQLite

/// `GET /readyz`: whether the relay can take writes, so that a load balancer stops sending it
/// submits it would refuse. Not ready while the data folder has less free space than
/// `minFreeSpaceBytes`, while the last store failure has not been followed by a successful write,
/// or while the store does not answer a read.
///
/// A relay taken out of rotation receives no more submits, so it cannot wait for one to succeed:
/// after a failure, the SQLite store is probed with a small real write (`probeWrite`, at most once
/// a second); on PostgreSQL, whose failures also come from a server shared with others, the failure
/// holds the relay out for `failureHoldSeconds`, then a read that answers brings it back (a new
/// failure takes it out again).
extension Relay {
    static let failureHoldSeconds = 10
    private static let probeInterval = Duration.seconds(1)

    /// Throws a 503 `unavailable` saying why the relay is not ready.
    func requireReady() async throws {
        if let problem = await readinessProblem() { throw RelayError(.serviceUnavailable, "unavailable", problem) }
    }

    /// Nil when ready, else why not (one of the relay's own sentences, no path or figure from a request).
    public func readinessProblem() async -> String? {
        let problem = await findProblem()
        metrics.readiness(problem == nil)
        return problem
    }

    private func findProblem() async -> String? {
        if configuration.postgresURL == nil, configuration.minFreeSpaceBytes > 0,
           let free = Self.freeSpace(configuration.dataDirectory), free < configuration.minFreeSpaceBytes {
            return "free space on the data folder is under \(configuration.minFreeSpaceBytes) bytes"
        }
        if let (kind, at) = metrics.failingWrite {
            if let sqlite = store as? SQLiteRelayStore {
                guard ContinuousClock.now - at >= Self.probeInterval else { return "the last write to the store failed (\(kind.rawValue))" }
                do {
                    try await sqlite.probeWrite()
                    metrics.storeWrote()
                } catch {
                    // Counted like any failure, which also spaces the next probe a second later.
                    metrics.storeFailed((error as? StoreError)?.failure ?? .other)
                    return "the last write to the store failed (\((error as? StoreError)?.failure ?? kind))"
                }
            } else if ContinuousClock.now - at < .seconds(Self.failureHoldSeconds) {
                return "the last write to the store failed (\(kind.rawValue))"
            }
        }
        do { try await store.ping() } catch { return "the store does not answer" }
        return nil
    }

    /// Bytes available to the relay's user on the file system holding `folder` (statvfs).
    static func freeSpace(_ folder: String) -> Int64? {
        (try? FileManager.default.attributesOfFileSystem(forPath: folder)[.systemFreeSize] as? NSNumber)?.int64Value
    }
}
