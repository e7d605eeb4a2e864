public import RelaisCrypto

/// A signed note (c2sp.org/signed-note), the envelope of a checkpoint: a text ending in a
/// newline, a blank line, and one or more signature lines
///
///     — <key name> <base64(key id, 4 bytes big-endian ‖ signature)>\n
///
/// (em dash U+2014, space, name, space, base64, newline). The whole note is UTF-8 without control
/// characters other than the newline; the text is separated from the signatures by the *last*
/// blank line. For Ed25519 the signature is over exactly the text bytes, with no prefix: note
/// texts contain no 0x00, so they can never equal a Relais domain-separated message
/// (`context ‖ 0x00 ‖ message`), which always does.
public struct CheckpointNote: Hashable, Sendable {
    /// One signature line, parsed but not verified.
    public struct Signature: Hashable, Sendable {
        public let name: String
        public let keyID: UInt32
        /// The signature proper, after the key id (64 bytes for Ed25519).
        public let bytes: [UInt8]

        public init(name: String, keyID: UInt32, bytes: [UInt8]) {
            self.name = name
            self.keyID = keyID
            self.bytes = bytes
        }

        /// The line as it appears in a note, newline included.
        public var line: String { "\(CheckpointNote.signaturePrefix)\(name) \(Base64.encode(keyID.bigEndianBytes + bytes))\n" }
    }

    /// The most signature lines read. The spec requires accepting at least 16.
    public static let maxSignatures = 100
    /// Em dash and space, which open every signature line.
    public static let signaturePrefix = "\u{2014} "

    /// The signed text, final newline included.
    public let text: String
    /// The signature lines, in order.
    public let signatures: [Signature]

    /// Parses a note's structure; verifies nothing (`verifiedText(by:)` does).
    ///
    /// - Throws: `AuditLogError.malformedNote` when the note has a control character other than
    ///   the newline, no blank line, no signature lines, more than `maxSignatures`, a line that is
    ///   not `— name base64`, an invalid key name, a signature that is not canonical base64 of at
    ///   least 5 bytes, or does not end with a newline.
    public init(parsing note: String) throws(AuditLogError) {
        let bytes = Array(note.utf8)
        if let i = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw .malformedNote("control character 0x\(Hex.encode([bytes[i]])) at byte \(i)")
        }
        guard let split = Self.lastBlankLine(bytes) else {
            throw .malformedNote("no blank line separates the text from the signatures")
        }
        let textBytes = bytes[..<(split + 1)]
        let signatureBytes = bytes[(split + 2)...]
        guard !signatureBytes.isEmpty else { throw .malformedNote("no signature lines") }
        guard signatureBytes.last == 0x0A else { throw .malformedNote("the last signature line does not end with a newline") }
        let lines = signatureBytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= Self.maxSignatures else {
            throw .malformedNote("\(lines.count) signature lines, more than the \(Self.maxSignatures) accepted")
        }
        let prefix = Array(Self.signaturePrefix.utf8)
        var signatures: [Signature] = []
        for (n, line) in lines.enumerated() {
            guard line.starts(with: prefix) else {
                throw .malformedNote("signature line \(n + 1) does not start with an em dash and a space")
            }
            let rest = line.dropFirst(prefix.count)
            guard let space = rest.firstIndex(of: 0x20) else {
                throw .malformedNote("signature line \(n + 1) has no space between key name and signature")
            }
            let name = String(decoding: rest[..<space], as: UTF8.self)
            let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
            guard CheckpointVerifierKey.isValidName(name) else {
                throw .malformedNote("signature line \(n + 1) has an invalid key name \"\(name)\"")
            }
            guard let raw = Base64.decode(encoded), raw.count >= 5 else {
                throw .malformedNote("signature line \(n + 1) is not canonical base64 of a 4-byte key id and a signature")
            }
            let keyID = raw.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            signatures.append(Signature(name: name, keyID: keyID, bytes: Array(raw.dropFirst(4))))
        }
        self.text = String(decoding: textBytes, as: UTF8.self)
        self.signatures = signatures
    }

    /// Parses a note received as bytes.
    ///
    /// - Throws: `AuditLogError.malformedNote` when the bytes are not UTF-8, and as
    ///   `init(parsing:)` otherwise.
    public init(parsing bytes: [UInt8]) throws(AuditLogError) {
        guard let note = String(validating: bytes, as: UTF8.self) else { throw .malformedNote("not valid UTF-8") }
        try self.init(parsing: note)
    }

    /// The note as text: `text`, a blank line, the signature lines.
    public var encoded: String { text + "\n" + signatures.map(\.line).joined() }

    /// Verifies the note by `verifier` and returns its text.
    ///
    /// Signature lines by other keys (another name, or the same name with another key id) are
    /// ignored, as the spec requires, so witnesses may cosign.
    ///
    /// - Throws: `AuditLogError.noSignatureFromKey` when no line is by `verifier`;
    ///   `.malformedNote` when more than one is (a key signs a note once);
    ///   `.badSignature` when its signature does not verify over `text`.
    public func verifiedText(by verifier: CheckpointVerifierKey) throws(AuditLogError) -> String {
        let mine = signatures.filter { $0.keyID == verifier.keyID && $0.name.utf8.elementsEqual(verifier.name.utf8) }
        guard let signature = mine.first else { throw .noSignatureFromKey(name: verifier.name, keyID: verifier.keyID) }
        guard mine.count == 1 else {
            throw .malformedNote("\(mine.count) signature lines by \(verifier.name)+\(CheckpointVerifierKey.hex(verifier.keyID)); a key signs a note once")
        }
        guard verifier.publicKey.isValidSignature(signature.bytes, for: Array(text.utf8)) else {
            throw .badSignature(name: verifier.name, keyID: verifier.keyID)
        }
        return text
    }

    /// Signs `text` with `key` under the key name `name` and returns the complete note.
    ///
    /// - Throws: `AuditLogError.invalidName` for an invalid key name; `.malformedNote` when the
    ///   text does not end with a newline or contains a control character other than the newline.
    public static func sign(text: String, name: String, key: Ed25519PrivateKey) throws(AuditLogError) -> String {
        let verifier = try CheckpointVerifierKey(name: name, publicKey: key.publicKey)
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else { throw .malformedNote("the text to sign does not end with a newline") }
        guard bytes.allSatisfy({ $0 >= 0x20 || $0 == 0x0A }) else {
            throw .malformedNote("the text to sign contains a control character")
        }
        let signature = Signature(name: name, keyID: verifier.keyID, bytes: key.signature(for: bytes))
        return text + "\n" + signature.line
    }

    /// The index of the first newline of the last "\n\n" in `bytes`.
    private static func lastBlankLine(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { return i }
            i -= 1
        }
        return nil
    }
}
