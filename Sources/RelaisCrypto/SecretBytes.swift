internal import CSodium

/// Secret bytes (keys, seeds, passphrase-derived keys) held in memory obtained from
/// `sodium_malloc` (guard pages, `mlock` where permitted) and wiped by `sodium_free` on release.
///
/// Immutable once created, hence `Sendable`. Read with `withUnsafeBytes`; `bytes` makes an
/// ordinary copy that is not wiped, so use it only where a copy must leave (key files, vectors).
public final class SecretBytes: @unchecked Sendable, Equatable {
    private let pointer: UnsafeMutableRawPointer
    public let count: Int

    /// Takes a copy of `bytes`. The caller still owns its array and should `wipe` it.
    public init(_ bytes: [UInt8]) {
        ensureSodium()
        count = bytes.count
        guard let p = sodium_malloc(max(count, 1)) else { fatalError("sodium_malloc failed") }
        pointer = p
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress { pointer.copyMemory(from: base, byteCount: count) }
        }
    }

    /// Allocates `count` bytes and lets `fill` write them, so the secret never exists in an
    /// ordinary array.
    public init(count: Int, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        ensureSodium()
        self.count = count
        guard let p = sodium_malloc(max(count, 1)) else { fatalError("sodium_malloc failed") }
        // `pointer` is set only after `fill` succeeds: once every stored property is set, a throw
        // would also run `deinit`, and `p` would be freed twice.
        do {
            try fill(UnsafeMutableRawBufferPointer(start: p, count: count))
        } catch {
            sodium_free(p)
            throw error
        }
        pointer = p
    }

    deinit { sodium_free(pointer) }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// An ordinary copy. It is not wiped on release: avoid except for export.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Constant-time equality.
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        lhs.withUnsafeBytes { l in rhs.withUnsafeBytes { r in constantTimeEqual(l, r) } }
    }
}

/// Overwrites an array's storage with zeros (`sodium_memzero`, which the optimiser cannot elide).
public func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buf in
        if let base = buf.baseAddress { sodium_memzero(base, buf.count) }
    }
}
