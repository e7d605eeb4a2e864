import Logging
public import ServiceLifecycle

/// Runs `Relay.purgeExpired` every `purgeIntervalSeconds` until the relay stops.
public struct PurgeService: Service {
    let relay: Relay

    public init(relay: Relay) { self.relay = relay }

    public func run() async throws {
        let interval = Duration.seconds(Int64(relay.configuration.purgeIntervalSeconds))
        // A graceful shutdown cancels the sleep: that is a normal end, not a failure.
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                    try await relay.purgeExpired()
                    // Witnesses hear of a grown log even when no device reads the checkpoint.
                    _ = try await relay.servedCheckpoint()
                } catch is CancellationError {
                    return
                } catch {
                    // A failed purge is retried at the next tick; expired envelopes stay unreadable meanwhile.
                    relay.metrics.purgeFailed()
                    relay.logger.error("purge failed", metadata: ["error": .string("\(type(of: error))")])
                }
            }
        }
    }
}
