import Foundation
import Synchronization

/// The time source protocol code takes as a parameter: whole seconds since the Unix epoch (UTC).
public protocol RelaisClock: Sendable {
    func now() -> UInt64
    /// Seconds with a fraction, for rate limiting. Defaults to `now()`.
    func preciseNow() -> Double
}

extension RelaisClock {
    public func preciseNow() -> Double { Double(now()) }
}

public struct SystemClock: RelaisClock {
    public init() {}
    public func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
    public func preciseNow() -> Double { Date().timeIntervalSince1970 }
}

/// A clock that tests move by hand.
public final class ManualClock: RelaisClock {
    /// The time, or (following real time) the offset from the real clock.
    private let value: Mutex<Double>
    private let followsRealTime: Bool
    public init(_ start: Double) {
        value = Mutex(start)
        followsRealTime = false
    }
    /// A clock that runs with the real one, starting at `start`, and can still be moved: for a
    /// relay that processes signing with the real clock talk to (the CLI signs its requests with
    /// real time, and a relay frozen at the test's start refuses them as stale once a slow run,
    /// under a sanitizer, has taken longer than the signature window).
    public init(followingRealTimeFrom start: Double) {
        value = Mutex(start - Date().timeIntervalSince1970)
        followsRealTime = true
    }
    private var base: Double { followsRealTime ? Date().timeIntervalSince1970 : 0 }
    public func now() -> UInt64 { UInt64(preciseNow()) }
    public func preciseNow() -> Double { base + value.withLock { $0 } }
    public func advance(by seconds: Double) { value.withLock { $0 += seconds } }
    public func set(_ seconds: Double) {
        let base = base
        value.withLock { $0 = seconds - base }
    }
}

/// A clock that returns a fixed instant: tests and test vectors.
public struct FixedClock: RelaisClock {
    public let instant: UInt64
    public init(_ instant: UInt64) { self.instant = instant }
    public func now() -> UInt64 { instant }
}
