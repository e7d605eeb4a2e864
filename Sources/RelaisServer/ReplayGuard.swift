import Synchronization

/// Remembers (device, nonce) pairs for as long as their timestamps are acceptable, so a signed
/// request can be used once. Entries older than the window are dropped as new ones arrive.
final class ReplayGuard: Sendable {
    private struct State {
        var seen: [String: UInt64] = [:]  // "device:nonce" → timestamp
        var lastSweep: UInt64 = 0
    }
    private let state = Mutex(State())
    private let window: UInt64

    init(window: UInt64) { self.window = window }

    /// True when (device, nonce) was already used: checked before a body is read, so that a
    /// replay is refused without reading it (`firstUse` claims the nonce once the request verifies).
    func wasUsed(device: String, nonce: String) -> Bool {
        state.withLock { $0.seen[device + ":" + nonce] != nil }
    }

    /// True the first time a (device, nonce) is presented within the window.
    func firstUse(device: String, nonce: String, timestamp: UInt64, now: UInt64) -> Bool {
        state.withLock { s in
            if now > s.lastSweep + window {
                let horizon = now > 2 * window ? now - 2 * window : 0
                s.seen = s.seen.filter { $0.value >= horizon }
                s.lastSweep = now
            }
            let key = device + ":" + nonce
            guard s.seen[key] == nil else { return false }
            s.seen[key] = timestamp
            return true
        }
    }
}
