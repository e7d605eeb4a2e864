public import RelaisCrypto

/// A witness's public key for Ed25519 cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`):
/// a key name and an Ed25519 key, whose key id is that of signature type 0x04,
///
///     key id = SHA-256(name ‖ 0x0A ‖ 0x04 ‖ 32-byte Ed25519 public key)[0..<4]
///
/// and whose text form is the signed-note verifier key with that type byte:
///
///     <name>+<key id, 8 lowercase hex digits>+<base64(0x04 ‖ 32-byte Ed25519 public key)>
///
/// The signed message does not commit to the name: one key MUST serve one witness name only.
public struct CosignerKey: Hashable, Sendable, CustomStringConvertible {
    /// The signed-note signature type of timestamped Ed25519 cosignatures.
    public static let signatureType: UInt8 = 0x04

    public let name: String
    public let publicKey: Ed25519PublicKey
    /// `SHA-256(name ‖ 0x0A ‖ 0x04 ‖ publicKey)[0..<4]`, big-endian.
    public let keyID: UInt32

    /// - Throws: `AuditLogError.invalidName` unless `name` is a valid key name.
    public init(name: String, publicKey: Ed25519PublicKey) throws(AuditLogError) {
        try CheckpointVerifierKey.requireValidName(name)
        self.name = name
        self.publicKey = publicKey
        keyID = CheckpointVerifierKey.keyID(name: name, type: Self.signatureType, publicKey: publicKey)
    }

    /// Parses the text form strictly, as `CheckpointVerifierKey(parsing:)` with the type byte 0x04.
    ///
    /// - Throws: `AuditLogError.malformedVerifierKey` for anything else (a log key of type 0x01
    ///   included: a log's key is not a witness's).
    public init(parsing text: String) throws(AuditLogError) {
        (name, publicKey, keyID) = try CheckpointVerifierKey.parse(text, type: Self.signatureType)
    }

    public var encoded: String { CheckpointVerifierKey.encode(name: name, type: Self.signatureType, keyID: keyID, publicKey: publicKey) }
    public var description: String { encoded }
}

/// One cosignature (c2sp.org/tlog-cosignature, Ed25519 `cosignature/v1`): a note signature line
///
///     — <witness name> base64(key id ‖ u64 timestamp, big-endian ‖ 64-byte Ed25519 signature)
///
/// whose signature is over `"cosignature/v1\ntime <timestamp>\n"` followed by the checkpoint's
/// note text (its body, final newline included, no signature lines). It states that, at
/// `timestamp` (POSIX seconds), the largest consistent tree the witness has seen for that origin
/// has that root.
public struct Cosignature: Hashable, Sendable {
    /// The witness's key name, as on the line.
    public let name: String
    public let keyID: UInt32
    /// POSIX seconds, below 2^63.
    public let timestamp: UInt64
    /// The 64-byte Ed25519 signature.
    public let signature: [UInt8]

    /// Bytes after the key id: timestamp and signature.
    static let payloadByteCount = 8 + 64

    /// The message an Ed25519 cosignature signs: `cosignature/v1`, `time <timestamp>`, each ending
    /// in a newline, then the checkpoint body.
    public static func message(body: String, timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n".utf8) + Array(body.utf8)
    }

    /// Cosigns a checkpoint body at `timestamp`.
    ///
    /// - Throws: `AuditLogError.invalidName` for an invalid name; `.malformedCheckpoint` when
    ///   `body` is not a checkpoint text, or `timestamp` is 0 or not below 2^63.
    public static func sign(body: String, name: String, key: Ed25519PrivateKey, timestamp: UInt64) throws(AuditLogError) -> Cosignature {
        let cosigner = try CosignerKey(name: name, publicKey: key.publicKey)
        _ = try Checkpoint(parsingBody: body)
        guard timestamp > 0, timestamp < 1 << 63 else { throw .malformedCheckpoint("cosignature time \(timestamp) is not between 1 and 2^63 - 1") }
        return Cosignature(name: name, keyID: cosigner.keyID, timestamp: timestamp,
                           signature: key.signature(for: message(body: body, timestamp: timestamp)))
    }

    init(name: String, keyID: UInt32, timestamp: UInt64, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.timestamp = timestamp
        self.signature = signature
    }

    /// Reads a signature line as a cosignature. Call it only for a line whose name and key id are a
    /// known witness's: any other line is another kind of signature.
    ///
    /// - Throws: `AuditLogError.malformedNote` unless the line holds exactly a timestamp below
    ///   2^63 and a 64-byte signature after its key id.
    public init(_ line: CheckpointNote.Signature) throws(AuditLogError) {
        guard line.bytes.count == Self.payloadByteCount else {
            throw .malformedNote("the cosignature by \(line.name) is \(line.bytes.count) bytes after its key id, expected \(Self.payloadByteCount) (timestamp and Ed25519 signature)")
        }
        let timestamp = line.bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard timestamp < 1 << 63 else { throw .malformedNote("the cosignature by \(line.name) has a timestamp beyond 2^63 - 1") }
        self.init(name: line.name, keyID: line.keyID, timestamp: timestamp, signature: Array(line.bytes.dropFirst(8)))
    }

    /// The note signature line.
    public var noteSignature: CheckpointNote.Signature {
        CheckpointNote.Signature(name: name, keyID: keyID, bytes: timestamp.bigEndianBytes + signature)
    }

    /// The line as it appears in a note, newline included.
    public var line: String { noteSignature.line }

    /// Whether it is `key`'s and verifies over `body`.
    public func isValid(for body: String, by key: CosignerKey) -> Bool {
        keyID == key.keyID && name.utf8.elementsEqual(key.name.utf8)
            && key.publicKey.isValidSignature(signature, for: Self.message(body: body, timestamp: timestamp))
    }
}

extension CheckpointNote {
    /// The cosignatures on this note by the witnesses `keys` that verify over its text, one per
    /// witness. Lines by other keys (the log's, unknown witnesses) are ignored.
    ///
    /// - Throws: `AuditLogError.malformedNote` when a known witness's line is not a cosignature, or
    ///   a witness signed twice; `.badSignature` when a known witness's cosignature does not verify
    ///   (c2sp.org/signed-note: a signature by a known key that fails makes the note invalid).
    public func cosignatures(by keys: [CosignerKey]) throws(AuditLogError) -> [(key: CosignerKey, cosignature: Cosignature)] {
        var found: [(key: CosignerKey, cosignature: Cosignature)] = []
        for key in keys {
            let lines = signatures.filter { $0.keyID == key.keyID && $0.name.utf8.elementsEqual(key.name.utf8) }
            guard let line = lines.first else { continue }
            guard lines.count == 1 else {
                throw .malformedNote("\(lines.count) cosignatures by \(key.name)+\(CheckpointVerifierKey.hex(key.keyID)); a witness cosigns a note once")
            }
            let cosignature = try Cosignature(line)
            guard cosignature.isValid(for: text, by: key) else { throw .badSignature(name: key.name, keyID: key.keyID) }
            found.append((key, cosignature))
        }
        return found
    }
}
