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
    private let value: Mutex<Double>
    public init(_ start: Double) { value = Mutex(start) }
    public func now() -> UInt64 { UInt64(value.withLock { $0 }) }
    public func preciseNow() -> Double { value.withLock { $0 } }
    public func advance(by seconds: Double) { value.withLock { $0 += seconds } }
    public func set(_ seconds: Double) { value.withLock { $0 = seconds } }
}

/// A clock that returns a fixed instant: tests and test vectors.
public struct FixedClock: RelaisClock {
    public let instant: UInt64
    public init(_ instant: UInt64) { self.instant = instant }
    public func now() -> UInt64 { instant }
}
