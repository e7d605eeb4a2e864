import Synchronization

/// A token bucket per key: `burst` tokens, refilled at `rate` per second. Time comes from the
/// caller, so tests drive it with a manual clock.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }
    private let buckets = Mutex([String: Bucket]())
    let rate: Double
    let burst: Double

    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(burst)
    }

    /// Takes one token. Returns nil when allowed, or the whole seconds to wait before retrying.
    func take(_ key: String, now: Double) -> Int? {
        buckets.withLock { all in
            var b = all[key] ?? Bucket(tokens: burst, updated: now)
            b.tokens = min(burst, b.tokens + max(0, now - b.updated) * rate)
            b.updated = now
            if b.tokens >= 1 {
                b.tokens -= 1
                all[key] = b
                return nil
            }
            all[key] = b
            return max(1, Int(((1 - b.tokens) / rate).rounded(.up)))
        }
    }
}
