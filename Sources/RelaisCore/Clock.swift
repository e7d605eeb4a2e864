import Foundation

/// The time source protocol code takes as a parameter: whole seconds since the Unix epoch (UTC).
public protocol RelaisClock: Sendable {
    func now() -> UInt64
}

public struct SystemClock: RelaisClock {
    public init() {}
    public func now() -> UInt64 { UInt64(max(0, Date().timeIntervalSince1970)) }
}

/// A clock that returns a fixed instant: tests and test vectors.
public struct FixedClock: RelaisClock {
    public let instant: UInt64
    public init(_ instant: UInt64) { self.instant = instant }
    public func now() -> UInt64 { instant }
}
