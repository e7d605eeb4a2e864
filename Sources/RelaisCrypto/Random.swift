internal import CSodium
import Synchronization

/// A source of random bytes. Protocol code takes one as a parameter so that tests and the vector
/// generator are deterministic; production uses `SystemRandom`.
public protocol RandomSource: Sendable {
    func bytes(_ count: Int) -> [UInt8]
}

/// The operating system's CSPRNG, through `randombytes_buf`.
public struct SystemRandom: RandomSource {
    public init() { ensureSodium() }
    public func bytes(_ count: Int) -> [UInt8] {
        ensureSodium()
        var out = [UInt8](repeating: 0, count: count)
        out.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return out
    }
}

/// A reproducible stream for tests and test vectors only: call `i` (from 0) returns
/// `randombytes_buf_deterministic(count, seed = SHA-256(seed ‖ u64be(i)))`.
/// Never use it for real keys.
public final class DeterministicRandom: RandomSource {
    private let seed: [UInt8]
    private let counter = Mutex<UInt64>(0)

    public init(seed: [UInt8]) {
        ensureSodium()
        self.seed = seed
    }

    public func bytes(_ count: Int) -> [UInt8] {
        let i = counter.withLock { c -> UInt64 in defer { c += 1 }; return c }
        let subseed = SHA256.hash(seed + i.bigEndianBytes)
        var out = [UInt8](repeating: 0, count: count)
        subseed.withUnsafeBytes { s in
            out.withUnsafeMutableBytes { o in
                randombytes_buf_deterministic(o.baseAddress!, count, s.bindMemory(to: UInt8.self).baseAddress!)
            }
        }
        return out
    }
}

extension FixedWidthInteger {
    /// Big-endian bytes of the integer, as every Relais byte layout uses.
    public var bigEndianBytes: [UInt8] {
        withUnsafeBytes(of: self.bigEndian) { Array($0) }
    }
}
