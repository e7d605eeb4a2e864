import HTTPTypes
public import RelaisCore
import RelaisCrypto
public import RelaisStore
import ServiceLifecycle
import Synchronization

/// The inbox long-poll (SPEC.md, "Waiting for the inbox"): requests that wait for a submit to
/// their device. The submit path calls `signal` after its commit; a wait reads the inbox once
/// before it starts and once when it ends (woken, at its bound, or at a graceful shutdown), and
/// never queries the store in between.
///
/// Bounded: `perDevice` waits per device (429 `too_many_waiters` beyond) and `total` for the whole
/// process (503 `busy` beyond). A submit through another relay sharing the same PostgreSQL
/// database is not seen here: the wait then ends at its bound and the client asks again.
public final class InboxWaits: Sendable {
    /// Why a wait ended.
    public enum Wake: Sendable, Equatable { case signalled, timedOut, shutdown }

    public let perDevice: Int
    public let total: Int

    private struct Waiter {
        var wake: Wake?
        var continuation: CheckedContinuation<Wake, Never>?
    }

    private struct State {
        var waiters: [DeviceID: [UInt64: Waiter]] = [:]
        var count = 0
        var next: UInt64 = 0
    }

    private let state = Mutex(State())

    /// A registered wait; `finish` removes it.
    struct Ticket: Sendable {
        let device: DeviceID
        let id: UInt64
    }

    public init(perDevice: Int, total: Int) {
        self.perDevice = perDevice
        self.total = total
    }

    /// Waits held now, in all or for one device.
    public var count: Int { state.withLock { $0.count } }
    public func count(device: DeviceID) -> Int { state.withLock { $0.waiters[device]?.count ?? 0 } }

    /// The inbox `read` gives now if it differs from `cursor`; otherwise the inbox once a submit to
    /// `device` woke the wait, once `bound` elapsed, or at a graceful shutdown. `read` runs twice at most.
    public func answer(device: DeviceID, after cursor: String, within bound: Duration,
                       read: () async throws -> [InboxEntry]) async throws -> [InboxEntry] {
        // Registered before the first read: a submit committed between the read and the wait still wakes it.
        let ticket = try register(device)
        defer { finish(ticket) }
        let entries = try await read()
        guard Self.cursor(entries) == cursor, bound > .zero else { return entries }
        _ = await wait(ticket, for: bound)
        return try await read()
    }

    /// Wakes every wait of these devices (called after a submit's commit).
    public func signal(_ devices: some Sequence<DeviceID>) {
        let woken = state.withLock { s -> [CheckedContinuation<Wake, Never>] in
            var woken: [CheckedContinuation<Wake, Never>] = []
            for device in Set(devices) {
                guard var waiters = s.waiters[device] else { continue }
                for (id, var waiter) in waiters where waiter.wake == nil {
                    waiter.wake = .signalled
                    if let c = waiter.continuation { woken.append(c) }
                    waiter.continuation = nil
                    waiters[id] = waiter
                }
                s.waiters[device] = waiters
            }
            return woken
        }
        for c in woken { c.resume(returning: .signalled) }
    }

    func register(_ device: DeviceID) throws -> Ticket {
        try state.withLock { s in
            guard s.count < total else {
                throw RelayError(.serviceUnavailable, "busy", "the relay holds as many inbox waits as it allows; retry in a second", retryAfter: 1)
            }
            guard (s.waiters[device]?.count ?? 0) < perDevice else {
                throw RelayError(.tooManyRequests, "too_many_waiters",
                                 "this device already waits for its inbox \(perDevice) times; end one before waiting again", retryAfter: 5)
            }
            s.next += 1
            s.count += 1
            s.waiters[device, default: [:]][s.next] = Waiter()
            return Ticket(device: device, id: s.next)
        }
    }

    func finish(_ ticket: Ticket) {
        let pending = state.withLock { s -> CheckedContinuation<Wake, Never>? in
            guard let waiter = s.waiters[ticket.device]?.removeValue(forKey: ticket.id) else { return nil }
            s.count -= 1
            if s.waiters[ticket.device]?.isEmpty == true { s.waiters[ticket.device] = nil }
            return waiter.continuation
        }
        pending?.resume(returning: .timedOut)
    }

    /// Waits until `signal`, `bound` or a graceful shutdown of the service the caller runs in.
    func wait(_ ticket: Ticket, for bound: Duration) async -> Wake {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Wake.self) { group in
                group.addTask { await self.woken(ticket) }
                group.addTask {
                    try? await Task.sleep(for: bound)
                    return .timedOut
                }
                let first = await group.next() ?? .timedOut
                wake(ticket, first)  // ends the other child: the sleep by cancellation, the continuation here
                group.cancelAll()
                return first
            }
        } onGracefulShutdown: {
            self.wake(ticket, .shutdown)
        }
    }

    private func woken(_ ticket: Ticket) async -> Wake {
        await withCheckedContinuation { c in
            let now = state.withLock { s -> Wake? in
                guard var waiter = s.waiters[ticket.device]?[ticket.id] else { return .timedOut }
                if let wake = waiter.wake { return wake }
                waiter.continuation = c
                s.waiters[ticket.device]?[ticket.id] = waiter
                return nil
            }
            if let now { c.resume(returning: now) }
        }
    }

    private func wake(_ ticket: Ticket, _ reason: Wake) {
        let c = state.withLock { s -> CheckedContinuation<Wake, Never>? in
            guard var waiter = s.waiters[ticket.device]?[ticket.id], waiter.wake == nil else { return nil }
            waiter.wake = reason
            let c = waiter.continuation
            waiter.continuation = nil
            s.waiters[ticket.device]?[ticket.id] = waiter
            return c
        }
        c?.resume(returning: reason)
    }

    /// The inbox cursor: 32 hex digits naming the set of envelope ids of an inbox answer,
    /// `hex(SHA-256("relais/v1/inbox-cursor" ‖ 0x00 ‖ ids in ascending byte order)[0..<16])`.
    /// Computed from the store's rows alone, so relays sharing one database agree on it.
    public static func cursor(_ entries: [InboxEntry]) -> String {
        var bytes = Array("relais/v1/inbox-cursor".utf8) + [0]
        for id in entries.map(\.envelopeID.bytes).sorted(by: { $0.lexicographicallyPrecedes($1) }) { bytes += id }
        return Hex.encode(Array(SHA256.hash(bytes).prefix(16)))
    }
}
