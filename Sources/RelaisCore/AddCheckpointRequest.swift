/// The body of c2sp.org/tlog-witness `POST <prefix>/add-checkpoint`:
///
///     old <size of the checkpoint the witness last cosigned> LF
///     <base64 consistency proof hash> LF          (0 to 63 lines)
///     LF
///     <signed checkpoint note>
///
/// The size is ASCII decimal without leading zeros (`0` for none).
public struct AddCheckpointRequest: Hashable, Sendable {
    /// The most proof lines a request may carry (the spec's bound: 2^64 leaves need fewer).
    public static let maxProofLines = 63
    /// A body above this is refused before it is parsed: a note of 100 lines and 63 proof lines fit.
    public static let maxBodyBytes = 64 * 1024

    public let oldSize: UInt64
    public let proof: [[UInt8]]
    /// The signed note as sent (the log's signature, perhaps other witnesses').
    public let note: String

    public init(oldSize: UInt64, proof: [[UInt8]], note: String) {
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
    }

    public var encoded: [UInt8] {
        Array((["old \(oldSize)"] + proof.map(Base64.encode)).map { $0 + "\n" }.joined().utf8) + [0x0A] + Array(note.utf8)
    }

    /// Parses a request body strictly.
    ///
    /// - Throws: `WitnessRefusal.malformed` (400) when the body is larger than `maxBodyBytes`, not
    ///   UTF-8, has no `old` line, a size with a sign or leading zeros, a proof line that is not
    ///   canonical base64 of 32 bytes, more than 63 proof lines, or no blank line before the note.
    public init(parsing body: [UInt8]) throws(WitnessRefusal) {
        guard body.count <= Self.maxBodyBytes else { throw .malformed("the body is over \(Self.maxBodyBytes) bytes") }
        guard let blank = body.indices.dropLast().first(where: { body[$0] == 0x0A && body[$0 + 1] == 0x0A }) else {
            throw .malformed("no blank line ends the old size and proof lines")
        }
        let lines = body[...blank].split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        guard let first = lines.first, first.hasPrefix("old ") else { throw .malformed("the first line is not \"old <size>\"") }
        let sizeText = String(first.dropFirst(4))
        guard !sizeText.isEmpty, sizeText.utf8.allSatisfy({ (0x30...0x39).contains($0) }), sizeText == "0" || !sizeText.hasPrefix("0"),
              let oldSize = UInt64(sizeText) else {
            throw .malformed("old size \"\(sizeText)\" is not a decimal number without leading zeros")
        }
        let proofLines = lines.dropFirst()
        guard proofLines.count <= Self.maxProofLines else { throw .malformed("\(proofLines.count) proof lines, at most \(Self.maxProofLines)") }
        var proof: [[UInt8]] = []
        for (i, line) in proofLines.enumerated() {
            guard let hash = Base64.decode(line), hash.count == MerkleHashing.hashByteCount else {
                throw .malformed("proof line \(i + 1) is not the canonical base64 of a 32-byte hash")
            }
            proof.append(hash)
        }
        guard let note = String(validating: body[(blank + 2)...], as: UTF8.self) else { throw .malformed("the checkpoint is not UTF-8") }
        self.init(oldSize: oldSize, proof: proof, note: note)
    }
}
