import RelaisCrypto

/// The hashing of the audit log's Merkle tree, RFC 9162 §2.1.1 with SHA-256:
///
///     leaf hash  = SHA-256(0x00 ‖ entry)
///     node hash  = SHA-256(0x01 ‖ left ‖ right)
///     empty root = SHA-256("")
///
/// The two prefixes keep a leaf from ever being taken for an inner node (second-preimage
/// resistance). Nothing else is prefixed: these hashes interoperate with every RFC 6962 / 9162 log.
public enum MerkleHashing {
    /// Prefix of a leaf hash's input.
    public static let leafPrefix: UInt8 = 0x00
    /// Prefix of an inner node hash's input.
    public static let nodePrefix: UInt8 = 0x01
    /// Bytes in every leaf, node and root hash.
    public static let hashByteCount = SHA256.byteCount

    /// The root of the empty tree, SHA-256 of the empty string
    /// (`e3b0c442…7852b855`).
    public static let emptyRoot: [UInt8] = SHA256.hash([UInt8]())

    /// `SHA-256(0x00 ‖ entry)`: the leaf hash of one log entry (its exact bytes).
    public static func leafHash(_ entry: [UInt8]) -> [UInt8] {
        var hasher = SHA256.Hasher()
        hasher.update([leafPrefix])
        hasher.update(entry)
        return hasher.finalize()
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`. The children are not checked: callers pass 32-byte hashes.
    public static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        left.withUnsafeBytes { l in right.withUnsafeBytes { r in nodeHash(l, r) } }
    }

    /// `SHA-256(0x01 ‖ left ‖ right)` over borrowed bytes, so a tree can hash its stored children
    /// without copying them.
    public static func nodeHash(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> [UInt8] {
        withUnsafeTemporaryAllocation(byteCount: 1 + left.count + right.count, alignment: 1) { buffer in
            buffer[0] = nodePrefix
            UnsafeMutableRawBufferPointer(rebasing: buffer[1...]).copyMemory(from: left)
            UnsafeMutableRawBufferPointer(rebasing: buffer[(1 + left.count)...]).copyMemory(from: right)
            return SHA256.hash(UnsafeRawBufferPointer(buffer))
        }
    }

    /// Throws unless `hash` is 32 bytes; `what` names it in the error ("leaf hash", "proof[3]").
    static func requireHashLength(_ hash: [UInt8], _ what: @autoclosure () -> String) throws(AuditLogError) {
        guard hash.count == hashByteCount else {
            throw .invalidHashLength(what: what(), expected: hashByteCount, got: hash.count)
        }
    }
}
