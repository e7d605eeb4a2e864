import AsyncHTTPClient
import NIOCore
public import RelaisCore

/// `relais watch`: waits for new envelopes on the relay's long-poll (SPEC.md, "Waiting for the
/// inbox") and reports each arrival by what the relay and the verified directory say of it: the
/// sending organisation, the cover's kind when known, the expiry. Never its content (nothing is
/// fetched or opened), never a person's name.
extension LocalDevice {
    /// An envelope that arrived while watching.
    public struct Arrival: Sendable, Equatable {
        public let envelopeID: EnvelopeID
        public let organisationID: OrganisationID
        /// The sending organisation's name in the verified directory; nil when it is not there.
        public let organisationName: String?
        public let submittedAt: UInt64
        public let expiresAt: UInt64
        /// What the relay says covers it (informative: checked on opening); nil when not said.
        public var coverKind: ConsentReference.Kind? = nil
    }

    public enum WatchEvent: Sendable, Equatable {
        /// The first answer: watching from now on, with this many envelopes already waiting.
        case watching(alreadyWaiting: Int)
        case arrival(Arrival)
        /// The relay could not be reached (or was overloaded): the next try after `retryIn`.
        case unreachable(attempt: Int, retryIn: Duration)
        /// Reached again after `unreachable`.
        case reachable
    }

    /// Exponential backoff with jitter: attempt n waits between half and all of
    /// `min(cap, base × 2^(n−1))`, at random ("equal jitter"), so clients cut off together do
    /// not come back together.
    public struct Backoff: Sendable, Equatable {
        public var base: Duration
        public var cap: Duration

        public init(base: Duration = .seconds(1), cap: Duration = .seconds(60)) {
            self.base = base
            self.cap = cap
        }

        /// `random` is in [0, 1).
        public func delay(attempt: Int, random: Double) -> Duration {
            let full = min(cap, base * Int(1 << min(max(0, attempt - 1), 30)))
            return full / 2 + (full / 2) * min(max(0, random), 1)
        }
    }

    /// The inbox, or once it differs from the one `cursor` names (an empty one when nil), waiting
    /// up to `seconds` on the relay. Envelopes erased here on a withdrawal notice are left out.
    /// The request gives up 10 s after the wait's end (connecting included), so an unreachable
    /// relay is known in 10 s when not waiting.
    public func waitForInbox(after cursor: String?, seconds: Int) async throws -> RelayClient.InboxPage {
        try await requireActive()
        let client = RelayClient(relay: relayURL, identity: identity, clock: clock, rng: rng, httpClient: Self.watchHTTPClient,
                                 timeoutSeconds: Int64(max(0, seconds) + 10))
        let page = try await client.inboxPage(wait: seconds > 0 ? seconds : nil, after: cursor)
        let erased = vault.erasedEnvelopes ?? [:]
        return RelayClient.InboxPage(items: page.items.filter { erased[$0.envelopeID] == nil }, cursor: page.cursor)
    }

    /// The watch's HTTP client: a refused connection fails at once (the shared client tries again
    /// until the request's deadline, which for a long-poll is a minute of silence).
    static let watchHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Watches this device's inbox until `handle` returns false or the task is cancelled. A relay
    /// that cannot be reached, or answers 429 or 5xx, is tried again after `backoff`; any other
    /// refusal (a revoked device, a failed verification) ends the watch with its error. The device
    /// is refreshed (prekeys, withdrawal notices) at the start and every hour.
    public func watch(waitSeconds: Int = 50, backoff: Backoff = Backoff(), random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                      handle: (WatchEvent) async throws -> Bool) async throws {
        var seen: Set<EnvelopeID>?
        var cursor: String?
        var failures = 0
        var names: [OrganisationID: String] = [:]
        var refreshedAt: UInt64?
        while true {
            try Task.checkCancellation()
            do {
                // The first answer, and the first after a failure, are a plain listing: back at once.
                let quick = seen == nil || failures > 0
                let page = try await waitForInbox(after: seen == nil ? nil : cursor, seconds: quick ? 0 : waitSeconds)
                if refreshedAt.map({ clock.now() >= $0 + 3_600 }) ?? true {
                    _ = try await refresh()
                    refreshedAt = clock.now()
                }
                if failures > 0 {
                    failures = 0
                    guard try await handle(.reachable) else { return }
                }
                if let known = seen {
                    // Names first: a failure here retries the whole answer, and reports nothing twice.
                    let new = page.items.filter { !known.contains($0.envelopeID) }
                    if new.contains(where: { names[$0.senderOrganisationID] == nil }) {
                        names = try await organisationNames()
                    }
                    seen = Set(page.items.map(\.envelopeID))
                    for item in new {
                        let arrival = Arrival(envelopeID: item.envelopeID, organisationID: item.senderOrganisationID,
                                              organisationName: names[item.senderOrganisationID], submittedAt: item.submittedAt,
                                              expiresAt: item.expiresAt, coverKind: item.coverKind)
                        guard try await handle(.arrival(arrival)) else { return }
                    }
                } else {
                    seen = Set(page.items.map(\.envelopeID))
                    guard try await handle(.watching(alreadyWaiting: page.items.count)) else { return }
                }
                cursor = page.cursor
                // A relay without the long-poll answers at once: ask at the pace of the wait instead.
                if page.cursor == nil { try await Task.sleep(for: .seconds(waitSeconds)) }
            } catch where !Task.isCancelled && Self.isTransient(error) {
                failures += 1
                let delay = backoff.delay(attempt: failures, random: random())
                guard try await handle(.unreachable(attempt: failures, retryIn: delay)) else { return }
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Worth trying again later: the relay unreachable (any transport failure), overloaded (429) or
    /// failing (5xx). Not a refusal, a failed check or a local error.
    static func isTransient(_ error: any Error) -> Bool {
        switch error {
        case let e as ClientError:
            switch e {
            case let .refused(status, _, _): status == 429 || status >= 500
            case let .unexpected(status): status >= 500
            case .verification: false
            }
        case is LocalError, is KeystoreError, is CancellationError: false
        default: true
        }
    }
}
