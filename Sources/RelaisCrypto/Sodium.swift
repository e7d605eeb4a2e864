internal import CSodium

/// libsodium must be initialised once before any other call; `sodium_init` is idempotent and
/// thread-safe, and a Swift global is initialised exactly once, lazily.
private let sodiumInitialised: Bool = sodium_init() >= 0

@inline(__always)
func ensureSodium() {
    precondition(sodiumInitialised, "libsodium failed to initialise")
}

/// Version of the linked libsodium, for diagnostics.
public func libsodiumVersion() -> String {
    ensureSodium()
    return String(cString: sodium_version_string())
}

/// A valid pointer for zero-length inputs: C APIs want non-null pointers even for 0 bytes.
nonisolated(unsafe) private let emptyByte = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)

extension UnsafeRawBufferPointer {
    /// The bytes as `UInt8`, never null (an empty buffer gives a valid 1-byte dummy).
    var uint8Pointer: UnsafePointer<UInt8> {
        guard let base = baseAddress else { return UnsafePointer(emptyByte) }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}
