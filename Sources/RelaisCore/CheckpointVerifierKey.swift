public import RelaisCrypto

/// The public key that verifies a log's checkpoints, with its C2SP signed-note name and key id,
/// and its text form (the verifier key encoding of golang.org/x/mod/sumdb/note, which
/// transparency-log tools share):
///
///     <name>+<key id, 8 lowercase hex digits>+<base64(0x01 ‖ 32-byte Ed25519 public key)>
///
/// The key id is the first four bytes, big-endian, of
/// `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)` (c2sp.org/signed-note, "Ed25519 signatures"),
/// so the pair (name, key id) names one key of one signature type.
public struct CheckpointVerifierKey: Hashable, Sendable, CustomStringConvertible {
    /// The signed-note signature type byte of Ed25519.
    public static let ed25519SignatureType: UInt8 = 0x01

    public let name: String
    public let publicKey: Ed25519PublicKey
    /// `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ publicKey)[0..<4]`, big-endian.
    public let keyID: UInt32

    /// - Throws: `AuditLogError.invalidName` unless `name` is a valid key name
    ///   (`isValidName`).
    public init(name: String, publicKey: Ed25519PublicKey) throws(AuditLogError) {
        try Self.requireValidName(name)
        self.name = name
        self.publicKey = publicKey
        self.keyID = Self.keyID(name: name, publicKey: publicKey)
    }

    /// Parses the text form strictly.
    ///
    /// - Throws: `AuditLogError.malformedVerifierKey` when the text is not exactly
    ///   `name+keyid+key` with a valid name, 8 lowercase hex digits, canonical base64 of 33 bytes
    ///   starting with 0x01, or when the key id is not the one computed from the name and key.
    public init(parsing text: String) throws(AuditLogError) {
        (name, publicKey, keyID) = try Self.parse(text, type: Self.ed25519SignatureType)
    }

    /// Parses `name+keyid+base64(type ‖ key)` for an Ed25519 key of signature type `type` (0x01 for
    /// a log, 0x04 for a witness's cosignatures: `CosignerKey`), strictly.
    static func parse(_ text: String, type: UInt8) throws(AuditLogError) -> (name: String, publicKey: Ed25519PublicKey, keyID: UInt32) {
        // The name has no '+', and neither has the hex id: split at the first two.
        let parts = text.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformedVerifierKey("\"\(text)\" does not have three parts separated by '+'") }
        let name = String(parts[0])
        guard Self.isValidName(name) else { throw .malformedVerifierKey("key name \"\(name)\" is empty or has a space, '+' or control character") }
        guard parts[1].utf8.count == 8, let idBytes = Hex.decode(String(parts[1])) else {
            throw .malformedVerifierKey("key id \"\(parts[1])\" is not 8 lowercase hex digits")
        }
        guard let keyBytes = Base64.decode(String(parts[2])) else {
            throw .malformedVerifierKey("key \"\(parts[2])\" is not canonical base64")
        }
        guard keyBytes.count == 1 + Ed25519PublicKey.byteCount, keyBytes[0] == type else {
            throw .malformedVerifierKey("key is not the type byte 0x\(Hex.encode([type])) followed by a 32-byte Ed25519 key (\(keyBytes.count) bytes, type 0x\(Hex.encode(Array(keyBytes.prefix(1)))))")
        }
        let publicKey: Ed25519PublicKey
        do { publicKey = try Ed25519PublicKey(bytes: Array(keyBytes[1...])) } catch {
            throw .malformedVerifierKey("\(error)")
        }
        let stated = idBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let computed = Self.keyID(name: name, type: type, publicKey: publicKey)
        guard stated == computed else {
            throw .malformedVerifierKey("key id \(Self.hex(stated)) does not match the name and key (computed \(Self.hex(computed)))")
        }
        return (name, publicKey, computed)
    }

    /// The text form of an Ed25519 key of signature type `type`.
    static func encode(name: String, type: UInt8, keyID: UInt32, publicKey: Ed25519PublicKey) -> String {
        "\(name)+\(Self.hex(keyID))+\(Base64.encode([type] + publicKey.bytes))"
    }

    /// The text form, `name+keyid+base64(0x01 ‖ key)`.
    public var encoded: String { Self.encode(name: name, type: Self.ed25519SignatureType, keyID: keyID, publicKey: publicKey) }

    public var description: String { encoded }

    /// `SHA-256(name ‖ 0x0A ‖ 0x01 ‖ publicKey)[0..<4]` as a big-endian integer.
    public static func keyID(name: String, publicKey: Ed25519PublicKey) -> UInt32 {
        keyID(name: name, type: ed25519SignatureType, publicKey: publicKey)
    }

    /// `SHA-256(name ‖ 0x0A ‖ type ‖ publicKey)[0..<4]` as a big-endian integer (c2sp.org/signed-note).
    static func keyID(name: String, type: UInt8, publicKey: Ed25519PublicKey) -> UInt32 {
        let digest = SHA256.hash(Array(name.utf8) + [0x0A, type] + publicKey.bytes)
        return digest.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    /// A key name per c2sp.org/signed-note: non-empty, no Unicode space, no '+'. Control
    /// characters are refused too (a signed note may not contain them).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { s in
            s.value >= 0x20 && s != "+" && !s.properties.isWhitespace
        }
    }

    static func requireValidName(_ name: String) throws(AuditLogError) {
        guard isValidName(name) else {
            throw .invalidName("key name \"\(name)\" must be non-empty, without spaces, '+' or control characters")
        }
    }

    /// A key id as 8 lowercase hex digits.
    static func hex(_ keyID: UInt32) -> String { Hex.encode(keyID.bigEndianBytes) }
}
