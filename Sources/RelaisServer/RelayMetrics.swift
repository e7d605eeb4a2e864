import Foundation
import HTTPTypes
public import Prometheus
import RelaisStore
import RelaisStoreSQLite
import Synchronization

/// The relay's metrics, in the Prometheus text format (`relais-server --metrics HOST:PORT`,
/// SPEC.md "Metrics"). Counts, times and sizes only: every label value comes from a fixed list
/// written here or in the API's routes (a route with `:id` in place of identifiers, a method, a
/// status, a refusal code), never from a request. No id, key, name or payload can reach them.
public final class RelayMetrics: Sendable {
    /// What the exposition is written from; a fresh registry per relay, so relays in one process
    /// (tests) count apart.
    public let registry = PrometheusCollectorRegistry()

    private let requestCounters = LabelledMetrics<Counter>()
    private let requestDurations = LabelledMetrics<DurationHistogram>()
    private let refusalCounters = LabelledMetrics<Counter>()
    private let submitted: (stored: Counter, duplicate: Counter)
    private let acknowledged: Counter
    private let deleted: (acknowledged: Counter, expired: Counter, withdrawn: Counter)
    private let purgeFailures: Counter
    private let storeUp, auditEntries, sessions, envelopesHeld, deliveryRows, devices, organisations: Gauge
    private let groupCommit: (transactions: Counter, writes: Counter, retried: Counter)
    private let lastGroupCommit = Mutex(GroupCommitStatistics())
    private let storeFailures: [StoreError.Failure: Counter]
    private let ready: Gauge
    /// The last store failure (its kind, when) and the last write known to have succeeded, in
    /// `ContinuousClock` time: what `/readyz` reads (`Relay+Readiness.swift`).
    private let writes = Mutex((failure: StoreError.Failure?.none, failedAt: ContinuousClock.Instant?.none, wroteAt: ContinuousClock.Instant?.none))

    /// Request durations: from 1 ms (a cached read) to 10 s (the store's deadline).
    static let durationBuckets: [Duration] = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 10_000].map { .microseconds(Int64($0 * 1000)) }

    public init(startedAt: UInt64) {
        let registry = self.registry
        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
            registry.makeCounter(descriptor: Self.name(name, unit: "total", help), labels: labels)
        }
        func gauge(_ name: String, _ help: String) -> Gauge {
            registry.makeGauge(descriptor: Self.name(name, unit: "", help))
        }
        let submittedHelp = "Envelopes accepted by POST /v1/envelopes: stored, or recognised as a retry of one already stored."
        submitted = (counter("envelopes_submitted", submittedHelp, [("outcome", "stored")]),
                     counter("envelopes_submitted", submittedHelp, [("outcome", "duplicate")]))
        acknowledged = counter("acknowledgements", "Acknowledgements recorded (a device's first acknowledgement of an envelope).")
        let deletedHelp = "Envelopes deleted from the relay: once every addressed device acknowledged them, at expiry by the purge, "
            + "or when the person withdrew the consent they were sent under."
        deleted = (counter("envelopes_deleted", deletedHelp, [("reason", "acknowledged")]),
                   counter("envelopes_deleted", deletedHelp, [("reason", "expired")]),
                   counter("envelopes_deleted", deletedHelp, [("reason", "withdrawn")]))
        purgeFailures = counter("purge_failures", "Purges of expired envelopes that failed (retried at the next interval).")
        storeUp = gauge("store_up", "1 if the store answered a read when these metrics were collected, 0 if not.")
        auditEntries = gauge("audit_log_entries", "Entries in the audit log.")
        sessions = gauge("request_sessions", "Request sessions open in this relay process.")
        envelopesHeld = gauge("envelopes_held", "Envelopes held, not yet deleted.")
        deliveryRows = gauge("deliveries", "Deliveries of held envelopes, acknowledged or not.")
        devices = gauge("devices", "Enrolled devices, whatever their status.")
        organisations = gauge("organisations", "Organisations in the directory.")
        let commitHelp = "SQLite group commit: "
        groupCommit = (counter("sqlite_group_commit_transactions", commitHelp + "transactions (each one fsync of the log)."),
                       counter("sqlite_group_commit_writes", commitHelp + "submits and acknowledgements written in them."),
                       counter("sqlite_group_commit_retried_batches", commitHelp + "batches run again write by write after one write failed."))
        let failuresHelp = "Store operations that failed in the database, by kind: full (no space left), read_only, io, busy "
            + "(a lock or deadline missed), corrupt, other."
        storeFailures = Dictionary(uniqueKeysWithValues: StoreError.Failure.allCases.map {
            ($0, counter("store_failures", failuresHelp, [("kind", $0.rawValue)]))
        })
        ready = gauge("ready", "1 if GET /readyz answered 200 the last time it was asked (or these metrics collected), 0 if 503.")
        gauge("start_time_seconds", "When this relay process started (Unix time).").set(Int64(clamping: startedAt))
    }

    // MARK: Recording

    /// One answered request. `path` is reduced to its route (identifiers replaced by `:id`; a path
    /// outside the API is `other`), `method` to a known method or `other`.
    func request(method: HTTPRequest.Method, path: String, status: Int, duration: Duration) {
        let route = APIRoutes.allowed(path) == nil ? "other" : APIRoutes.route(path)
        let methodLabel = Self.knownMethods.contains(method) ? method.rawValue : "other"
        requestCounters.get("\(methodLabel) \(route) \(status)") {
            registry.makeCounter(descriptor: Self.name("http_requests", unit: "total", "Requests answered, by route, method and status."),
                                 labels: [("route", route), ("method", methodLabel), ("status", String(status))])
        }.increment()
        requestDurations.get("\(methodLabel) \(route)") {
            registry.makeDurationHistogram(
                descriptor: Self.name("http_request_duration", unit: "seconds", "Time from the request's head to its answer, by route and method."),
                labels: [("route", route), ("method", methodLabel)], buckets: Self.durationBuckets)
        }.record(duration)
    }

    /// `relais_NAME_UNIT`, with its help line.
    private static func name(_ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "relais", metricName: name, unitName: unit, helpText: help)
    }

    private static let knownMethods: Set<HTTPRequest.Method> = [.get, .post, .put, .delete, .head, .patch, .options]

    /// A request refused while authenticating it: `reason` is the refusal's code (`replayed`,
    /// `bad_mac`, `rate_limited`…), one of the relay's own fixed words.
    func authenticationRefused(_ reason: String) {
        refusalCounters.get(reason) {
            registry.makeCounter(descriptor: Self.name("authentication_refusals", unit: "total",
                                                       "Requests refused before reaching their route: unsigned, forged, replayed, stale, unknown or revoked device, rate limit."),
                                 labels: [("reason", reason)])
        }.increment()
    }

    func envelopeSubmitted(duplicate: Bool) { (duplicate ? submitted.duplicate : submitted.stored).increment() }

    func acknowledgement(deletedEnvelope: Bool) {
        acknowledged.increment()
        if deletedEnvelope { deleted.acknowledged.increment() }
    }

    func purged(_ count: Int) { if count > 0 { deleted.expired.increment(by: Int64(count)) } }

    func deletedByWithdrawal(_ count: Int) { if count > 0 { deleted.withdrawn.increment(by: Int64(count)) } }

    func purgeFailed() { purgeFailures.increment() }

    /// A store operation failed in the database: counted by kind, and the relay is not ready until
    /// a write succeeds after it.
    func storeFailed(_ kind: StoreError.Failure) {
        storeFailures[kind]?.increment()
        writes.withLock { ($0.failure, $0.failedAt) = (kind, .now) }
    }

    /// A write reached the database (a transaction that changed rows committed, or the readiness
    /// probe's write succeeded).
    public func storeWrote() { writes.withLock { $0.wroteAt = .now } }

    /// The kind of the last store failure and when it happened, when no write succeeded since.
    var failingWrite: (kind: StoreError.Failure, at: ContinuousClock.Instant)? {
        writes.withLock { state in
            guard let kind = state.failure, let failed = state.failedAt else { return nil }
            if let wrote = state.wroteAt, wrote >= failed { return nil }
            return (kind, failed)
        }
    }

    func readiness(_ isReady: Bool) { ready.set(Int64(isReady ? 1 : 0)) }

    // MARK: Exposition

    /// Collects the figures read at scrape time (the store's counts, the audit log's size, open
    /// sessions, group commit), then writes every metric in the Prometheus text format.
    func exposition(relay: Relay) async -> [UInt8] {
        sessions.set(Int64(relay.sessions.count))
        _ = await relay.readinessProblem()  // sets relais_ready
        do {
            let statistics = try await relay.store.statistics()  // a read: it fails when the store does not answer
            auditEntries.set(Int64(clamping: try await relay.store.auditLogSize()))
            envelopesHeld.set(Int64(statistics.envelopes))
            deliveryRows.set(Int64(statistics.deliveries))
            devices.set(Int64(statistics.devices))
            organisations.set(Int64(statistics.organisations))
            storeUp.set(Int64(1))
        } catch {
            storeUp.set(Int64(0))
        }
        if let sqlite = relay.store as? SQLiteRelayStore {
            // Read and swapped under one lock: two scrapes at once each count their own difference.
            let since = lastGroupCommit.withLock { last in
                let now = sqlite.groupCommitStatistics
                defer { last = now }
                return now.since(last)
            }
            groupCommit.transactions.increment(by: Int64(since.transactions))
            groupCommit.writes.increment(by: Int64(since.operations))
            groupCommit.retried.increment(by: Int64(since.retriedBatches))
        }
        return registry.emitToBuffer()
    }

    /// The exposition format's content type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// Metrics of one name told apart by their labels, made on first use: `key` stands for the label
/// values (from fixed lists only, so the table stays small).
private final class LabelledMetrics<Metric: Sendable>: Sendable {
    private let metrics = Mutex<[String: Metric]>([:])

    func get(_ key: String, make: () -> Metric) -> Metric {
        metrics.withLock { metrics in
            if let metric = metrics[key] { return metric }
            let metric = make()
            metrics[key] = metric
            return metric
        }
    }
}
