import Synchronization

/// A token bucket per key: `burst` tokens, refilled at `rate` per second. Time comes from the
/// caller, so tests drive it with a manual clock. Keys include client addresses, which anyone can
/// vary: buckets full again (idle for `burst / rate` seconds) are dropped as new keys arrive, so
/// the table holds only the keys of the last few seconds.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }
    private struct State {
        var buckets: [String: Bucket] = [:]
        var lastSweep: Double = 0
    }
    private let state = Mutex(State())
    let rate: Double
    let burst: Double

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(burst)
    }

    /// Takes one token. Returns nil when allowed, or the whole seconds to wait before retrying.
    func take(_ key: String, now: Double) -> Int? {
        state.withLock { s in
            let refill = burst / rate
            // At most once a second: with a high rate, `refill` is a millisecond.
            if now - s.lastSweep > max(refill, 1) {
                s.buckets = s.buckets.filter { now - $0.value.updated < refill }
                s.lastSweep = now
            }
            var b = s.buckets[key] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + max(0, now - b.updated) * rate)
            b.updated = now
            if b.tokens >= 1 {
                b.tokens -= 1
                s.buckets[key] = b
                return nil
            }
            s.buckets[key] = b
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }

    /// How many keys are held (tests).
    var keyCount: Int { state.withLock { $0.buckets.count } }
}
