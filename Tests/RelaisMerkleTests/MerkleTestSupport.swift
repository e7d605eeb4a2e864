import RelaisCore

/// Entries and helpers shared by the Merkle and checkpoint suites.
enum MerkleTestSupport {
    /// Entry `i` of the test logs: distinct, of varying length (including empty).
    static func entry(_ i: Int) -> [UInt8] {
        Array("entry \(i)".utf8) + [UInt8](repeating: UInt8(i & 0xff), count: i % 5)
    }

    static func entries(_ n: Int) -> [[UInt8]] { (0..<n).map(entry) }

    /// A tree of `entries(n)`.
    static func tree(_ n: Int) -> MerkleTree {
        var tree = MerkleTree()
        for e in entries(n) { tree.append(entry: e) }
        return tree
    }

    /// `bytes` with bit `bit` of byte `index` flipped.
    static func flipped(_ bytes: [UInt8], at index: Int, bit: Int = 0) -> [UInt8] {
        var out = bytes
        out[index] ^= 1 << bit
        return out
    }

    /// The error `body` throws, or nil when it returns.
    static func outcome(_ body: () throws(AuditLogError) -> Void) -> AuditLogError? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    /// Bytes of a lowercase hex literal; traps on a typo (the literals are fixed in the tests).
    static func hex(_ text: String) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { preconditionFailure("bad hex literal \(text)") }
        return bytes
    }
}
