internal import CSodium

/// Secret bytes (keys, seeds, passphrase-derived keys), wiped with `sodium_memzero` on release.
///
/// Two kinds of memory: `.guarded` uses `sodium_malloc` (guard pages, `mlock` where permitted) for
/// long-lived keys (identity and prekey private keys); `.ordinary` uses the heap, for short-lived
/// per-envelope keys, where `sodium_malloc`'s ~10 system calls per allocation cost more than the
/// cryptography itself (BENCHMARKS.md). Both are wiped before they are freed.
///
/// Immutable once created, hence `Sendable`. Read with `withUnsafeBytes`; `bytes` makes an
/// ordinary copy that is not wiped, so use it only where a copy must leave (key files, vectors).
public final class SecretBytes: @unchecked Sendable, Equatable {
    public enum Memory: Sendable { case ordinary, guarded }

    private let pointer: UnsafeMutableRawPointer
    private let memory: Memory
    public let count: Int

    private static func allocate(_ count: Int, _ memory: Memory) -> UnsafeMutableRawPointer {
        ensureSodium()
        switch memory {
        case .ordinary:
            return UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        case .guarded:
            guard let p = sodium_malloc(max(count, 1)) else { fatalError("sodium_malloc failed") }
            return p
        }
    }

    private static func release(_ p: UnsafeMutableRawPointer, _ count: Int, _ memory: Memory) {
        switch memory {
        case .ordinary:
            sodium_memzero(p, max(count, 1))
            p.deallocate()
        case .guarded:
            sodium_free(p)  // wipes, then unlocks and frees
        }
    }

    /// Takes a copy of `bytes`. The caller still owns its array and should `wipe` it.
    public init(_ bytes: [UInt8], memory: Memory = .ordinary) {
        count = bytes.count
        self.memory = memory
        pointer = Self.allocate(count, memory)
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress { pointer.copyMemory(from: base, byteCount: count) }
        }
    }

    /// Allocates `count` bytes and lets `fill` write them, so the secret never exists in an
    /// ordinary array.
    public init(count: Int, memory: Memory = .ordinary, fill: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        self.count = count
        self.memory = memory
        let p = Self.allocate(count, memory)
        // `pointer` is set only after `fill` succeeds: once every stored property is set, a throw
        // would also run `deinit`, and `p` would be freed twice.
        do {
            try fill(UnsafeMutableRawBufferPointer(start: p, count: count))
        } catch {
            Self.release(p, count, memory)
            throw error
        }
        pointer = p
    }

    deinit { Self.release(pointer, count, memory) }

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
