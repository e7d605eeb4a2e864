internal import CSodium

/// Compares two byte strings in time that depends only on their length (`sodium_memcmp`).
/// Different lengths compare unequal at once: lengths are not secret here.
public func constantTimeEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    ensureSodium()
    guard a.count == b.count else { return false }
    if a.count == 0 { return true }
    return sodium_memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}

public func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    a.withUnsafeBytes { ra in b.withUnsafeBytes { rb in constantTimeEqual(ra, rb) } }
}
