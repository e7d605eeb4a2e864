public import RelaisCrypto

/// A human-comparable fingerprint of an Ed25519 identity key: 30 decimal digits in six groups of
/// five, read aloud or compared on paper out of band (SPEC.md, "Fingerprints").
///
/// `h₀ = SHA-256("relais/v1/fingerprint" ‖ 0x00 ‖ key)`, `hᵢ = SHA-256(hᵢ₋₁ ‖ key)` for
/// i = 1…5199; the first 30 bytes of h₅₁₉₉ make six 5-byte big-endian integers, each taken
/// modulo 100000 and written as five digits. The iteration makes finding a colliding key costly.
public struct Fingerprint: Hashable, Sendable, CustomStringConvertible {
    public static let iterations = 5200
    public let digits: String

    public init(of key: Ed25519PublicKey) {
        var h = SHA256.hash(domainSeparated(.fingerprint, key.bytes))
        for _ in 1..<Self.iterations { h = SHA256.hash(h + key.bytes) }
        var groups: [String] = []
        for g in 0..<6 {
            let chunk = h[(g * 5)..<(g * 5 + 5)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let value = String(chunk % 100_000)
            groups.append(String(repeating: "0", count: 5 - value.count) + value)
        }
        digits = groups.joined()
    }

    /// Six groups of five digits separated by spaces.
    public var description: String {
        stride(from: 0, to: 30, by: 5).map { i in
            let start = digits.index(digits.startIndex, offsetBy: i)
            return String(digits[start..<digits.index(start, offsetBy: 5)])
        }.joined(separator: " ")
    }

    /// The safety number of two devices: both fingerprints, the smaller first, 60 digits.
    /// Both sides compute the same number.
    public static func safetyNumber(_ a: Ed25519PublicKey, _ b: Ed25519PublicKey) -> String {
        let fa = Fingerprint(of: a).digits, fb = Fingerprint(of: b).digits
        return fa < fb ? fa + fb : fb + fa
    }
}
