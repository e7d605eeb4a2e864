/// A log checkpoint (c2sp.org/tlog-checkpoint): the log's origin, a tree size and the root of the
/// tree at that size. Its text, the body of a signed note, is
///
///     <origin>\n<size in decimal>\n<base64(root)>\n
///
/// followed by optional extension lines, each non-empty and ending in a newline. Relais never
/// writes extension lines; it reads and keeps them (`extensionLines`), as the format requires of
/// clients, so that `body` is always the exact signed text.
///
/// Signing and verification as a signed note are in `Checkpoint+Note.swift`.
public struct Checkpoint: Hashable, Sendable {
    /// The log's identity, e.g. `relais.example.org/log`. Relais uses it as the key name too.
    public let origin: String
    /// Leaves in the tree.
    public let size: UInt64
    /// `MTH(D[size])`, 32 bytes.
    public let root: [UInt8]
    /// Opaque lines after the root, as read; always empty for checkpoints made here.
    public let extensionLines: [String]

    /// A checkpoint without extension lines.
    ///
    /// - Throws: `AuditLogError.invalidName` when `origin` is empty or contains a control
    ///   character (a newline would split it); `.invalidHashLength` when `root` is not 32 bytes.
    public init(origin: String, size: UInt64, root: [UInt8]) throws(AuditLogError) {
        guard Self.isValidLine(origin) else {
            throw .invalidName("checkpoint origin \"\(origin)\" must be non-empty and without control characters")
        }
        try MerkleHashing.requireHashLength(root, "checkpoint root")
        self.origin = origin
        self.size = size
        self.root = root
        self.extensionLines = []
    }

    /// The note text: origin, size, base64 root and any extension lines, each ending in `\n`.
    public var body: String {
        ([origin, String(size), Base64.encode(root)] + extensionLines).map { $0 + "\n" }.joined()
    }

    /// Parses a note text as a checkpoint, strictly. Call it only on text whose signature has
    /// been verified (`Checkpoint.verify`).
    ///
    /// - Throws: `AuditLogError.malformedCheckpoint` unless the text is at least three lines, each
    ///   ending in `\n`: a non-empty origin, a decimal size without sign or leading zeros that
    ///   fits in 64 bits, the canonical base64 of a 32-byte root, then only non-empty lines.
    public init(parsingBody text: String) throws(AuditLogError) {
        // Split on the byte 0x0A, not on Characters: "\r\n" is one Character in Swift.
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else { throw .malformedCheckpoint("the text does not end with a newline") }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3 else {
            throw .malformedCheckpoint("\(lines.count) lines, expected origin, size and root")
        }
        for (i, line) in lines.enumerated() where !Self.isValidLine(line) {
            throw .malformedCheckpoint("line \(i + 1) is empty or has a control character")
        }
        let sizeText = lines[1]
        guard sizeText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              sizeText == "0" || !sizeText.hasPrefix("0"), let size = UInt64(sizeText) else {
            throw .malformedCheckpoint("size \"\(sizeText)\" is not a decimal number without leading zeros below 2^64")
        }
        guard let root = Base64.decode(lines[2]) else {
            throw .malformedCheckpoint("root \"\(lines[2])\" is not canonical base64")
        }
        guard root.count == MerkleHashing.hashByteCount else {
            throw .malformedCheckpoint("root is \(root.count) bytes, expected \(MerkleHashing.hashByteCount)")
        }
        self.origin = lines[0]
        self.size = size
        self.root = root
        self.extensionLines = Array(lines[3...])
    }

    /// Non-empty and free of control characters (which includes the newline).
    static func isValidLine(_ line: String) -> Bool {
        !line.isEmpty && line.unicodeScalars.allSatisfy { $0.value >= 0x20 }
    }
}
