import Foundation
import RelaisCore
import RelaisCrypto
import Testing

/// Checkpoints as C2SP signed notes: signing, a pinned note, the Go reference note, and refusals.
@Suite("Checkpoint signed note")
struct CheckpointNoteTests {
    static let origin = "relais.example/log"
    /// A fixed signing key: seed 0x00 0x01 … 0x1f.
    static let key = try! Ed25519PrivateKey(seed: Array(0..<32))
    static let verifier = try! CheckpointVerifierKey(name: origin, publicKey: key.publicKey)
    static let checkpoint = try! Checkpoint(origin: origin, size: 8, root: CheckpointTests.root)
    static let note = try! checkpoint.signedNote(name: origin, key: key)

    /// Computed once with this implementation, checked against an independent Python computation
    /// (hashlib + Ed25519), and pinned: Ed25519 is deterministic, so any change to the body, the
    /// key id or the signature line shows here.
    static let pinnedVerifierKey = "relais.example/log+eea6c9b8+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4"
    static let pinnedNote = """
        relais.example/log
        8
        XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=

        — relais.example/log 7qbJuOVEn+qD3meJgQWpOs39OP7tL55MDaRSTBNXXt3O1yIDEsFfGemyTLrwGjL9oS0RwUi78HUOlFHGaknpzAaIeQY=

        """

    @Test("sign then verify returns the same checkpoint")
    func roundTrip() throws {
        #expect(try Checkpoint.verify(note: Self.note, name: Self.origin, publicKey: Self.key.publicKey) == Self.checkpoint)
        #expect(try Checkpoint.verify(note: Self.note, verifier: Self.verifier) == Self.checkpoint)
        #expect(try Checkpoint.verify(note: Array(Self.note.utf8), verifier: Self.verifier) == Self.checkpoint)
        let parsed = try CheckpointNote(parsing: Self.note)
        #expect(parsed.text == Self.checkpoint.body)
        #expect(parsed.encoded == Self.note)
        #expect(parsed.signatures.count == 1)
        #expect(parsed.signatures.first?.keyID == Self.verifier.keyID)
        #expect(parsed.signatures.first?.bytes.count == 64)
    }

    @Test("a fixed key and checkpoint give the pinned note and verifier key")
    func pinned() {
        #expect(Self.verifier.encoded == Self.pinnedVerifierKey)
        #expect(Self.note == Self.pinnedNote)
    }

    /// golang.org/x/mod/sumdb/note's example (note_test.go): its signer key, text and note.
    @Test("the Go reference note verifies, and signing its text reproduces it byte for byte")
    func goReference() throws {
        let verifier = try CheckpointVerifierKey(parsing: CheckpointVerifierKeyTests.goVerifierKey)
        let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
        let note = text + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
        #expect(try CheckpointNote(parsing: note).verifiedText(by: verifier) == text)
        // PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz: 0x01 ‖ seed.
        let signerKey = try #require(Base64.decode("AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"))
        #expect(signerKey.first == 0x01)
        let key = try Ed25519PrivateKey(seed: Array(signerKey.dropFirst()))
        #expect(key.publicKey == verifier.publicKey)
        #expect(try CheckpointNote.sign(text: text, name: "PeterNeumann", key: key) == note)
        // Verified, but the text is not a checkpoint.
        guard case .malformedCheckpoint? = MerkleTestSupport.outcome({ () throws(AuditLogError) in
            _ = try Checkpoint.verify(note: note, verifier: verifier, origin: "PeterNeumann")
        }) else {
            Issue.record("a verified note whose text is not a checkpoint was not refused as malformedCheckpoint")
            return
        }
        #expect(throws: AuditLogError.badSignature(name: "PeterNeumann", keyID: 0xc74f_20a3)) {
            try CheckpointNote(parsing: note.replacingOccurrences(of: "cryptography", with: "cryptographY")).verifiedText(by: verifier)
        }
    }

    @Test("another key, another key name or another origin is refused")
    func wrongKeyOrName() throws {
        let otherKey = try Ed25519PrivateKey(seed: Array(repeating: 7, count: 32))
        #expect(throws: AuditLogError.noSignatureFromKey(name: Self.origin,
                                                         keyID: CheckpointVerifierKey.keyID(name: Self.origin, publicKey: otherKey.publicKey))) {
            try Checkpoint.verify(note: Self.note, name: Self.origin, publicKey: otherKey.publicKey)
        }
        let otherName = "relais.example/other"
        #expect(throws: AuditLogError.noSignatureFromKey(name: otherName,
                                                         keyID: CheckpointVerifierKey.keyID(name: otherName, publicKey: Self.key.publicKey))) {
            try Checkpoint.verify(note: Self.note, name: otherName, publicKey: Self.key.publicKey)
        }
        // Signed by the log key, but for another log.
        let foreign = try Checkpoint(origin: "relais.example/other-log", size: 8, root: CheckpointTests.root)
        let foreignNote = try foreign.signedNote(name: Self.origin, key: Self.key)
        #expect(throws: AuditLogError.originMismatch(expected: Self.origin, got: "relais.example/other-log")) {
            try Checkpoint.verify(note: foreignNote, verifier: Self.verifier)
        }
        #expect(try Checkpoint.verify(note: foreignNote, verifier: Self.verifier, origin: "relais.example/other-log") == foreign)
    }

    @Test("a changed size, root or origin, or a changed signature, fails the signature")
    func alteredNotes() throws {
        let badSignature = AuditLogError.badSignature(name: Self.origin, keyID: Self.verifier.keyID)
        let rootText = Base64.encode(CheckpointTests.root)
        let otherRoot = Base64.encode(MerkleTestSupport.flipped(CheckpointTests.root, at: 31))
        let altered: [(String, String)] = [
            (Self.note.replacingOccurrences(of: "\n8\n", with: "\n9\n"), "size 9"),
            (Self.note.replacingOccurrences(of: "\n8\n", with: "\n80\n"), "size 80"),
            (Self.note.replacingOccurrences(of: rootText, with: otherRoot), "root"),
            (Self.note.replacingOccurrences(of: "relais.example/log\n8", with: "relais.example/loh\n8"), "origin"),
            (Self.note.replacingOccurrences(of: "\n8\n", with: "\n8\n8\n"), "duplicated size line"),
            (Self.note.replacingOccurrences(of: "\(rootText)\n", with: "\(rootText)\n\(rootText)\n"), "duplicated root line"),
            (Self.note.replacingOccurrences(of: "\(rootText)\n", with: "\(rootText)\nextra\n"), "added extension line"),
            ("\n" + Self.note, "blank line before the text"),
            (Self.note.replacingOccurrences(of: "\n\n", with: "\n\n\n"), "two blank lines"),
        ]
        for (note, what) in altered {
            #expect(note != Self.note, "\(what): the alteration did not apply")
            #expect(throws: badSignature, "\(what)") { try Checkpoint.verify(note: note, verifier: Self.verifier) }
        }
        // Every bit of the signature proper (after the 4-byte key id).
        let signature = try #require(CheckpointNote(parsing: Self.note).signatures.first)
        var tally = MerkleRefusalTally()
        for byte in 0..<64 {
            for bit in 0..<8 {
                let bad = CheckpointNote.Signature(name: signature.name, keyID: signature.keyID,
                                                   bytes: MerkleTestSupport.flipped(signature.bytes, at: byte, bit: bit))
                let note = Self.checkpoint.body + "\n" + bad.line
                tally.refuse("signature byte \(byte) bit \(bit)") { () throws(AuditLogError) in
                    _ = try Checkpoint.verify(note: note, verifier: Self.verifier)
                }
            }
        }
        tally.finish(atLeast: 512)
        let truncated = CheckpointNote.Signature(name: signature.name, keyID: signature.keyID, bytes: Array(signature.bytes.dropLast()))
        #expect(throws: badSignature) { try Checkpoint.verify(note: Self.checkpoint.body + "\n" + truncated.line, verifier: Self.verifier) }
    }

    @Test("structural damage is refused as a malformed note")
    func malformedNotes() throws {
        let sigLine = String(Self.note.split(separator: "\n").last!) + "\n"
        let body = Self.checkpoint.body
        let damaged: [(String, String)] = [
            (Self.note + "garbage", "trailing garbage without newline"),
            (Self.note + "garbage\n", "trailing garbage line"),
            (Self.note + sigLine, "the same signature line twice"),
            (String(Self.note.dropLast()), "no final newline"),
            (body + sigLine, "no blank line"),
            (body + "\n", "no signature lines"),
            (body + "\n" + sigLine.replacingOccurrences(of: "— ", with: "- "), "hyphen instead of em dash"),
            (body + "\n" + sigLine.replacingOccurrences(of: "— ", with: "—"), "no space after the dash"),
            (body + "\n" + sigLine.replacingOccurrences(of: " ", with: "  "), "two spaces"),
            (body + "\n" + sigLine.replacingOccurrences(of: "=\n", with: "\n"), "unpadded signature"),
            (body + "\n— \(Self.origin) AAAA\n", "signature of 3 bytes"),
            (body + "\n— \(Self.origin)\n", "no signature"),
            (body + "\n— a+b AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n" + sigLine, "invalid key name in another line"),
            (Self.note.replacingOccurrences(of: "\n", with: "\r\n"), "CRLF"),
            (Self.note.replacingOccurrences(of: "relais.example", with: "relais\texample"), "tab"),
            (Self.note.replacingOccurrences(of: "relais.example/log\n8", with: "relais.example/log\u{0}\n8"), "NUL"),
            (body + "\n" + String(repeating: "— other.example AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n", count: 100) + sigLine,
             "101 signature lines"),
        ]
        for (note, what) in damaged {
            guard case .malformedNote? = MerkleTestSupport.outcome({ () throws(AuditLogError) in _ = try Checkpoint.verify(note: note, verifier: Self.verifier) }) else {
                Issue.record("\(what): not refused as malformedNote")
                continue
            }
        }
        var invalidUTF8 = Array(Self.note.utf8)
        invalidUTF8[2] = 0xff
        #expect(throws: AuditLogError.malformedNote("not valid UTF-8")) { try Checkpoint.verify(note: invalidUTF8, verifier: Self.verifier) }
    }

    @Test("signatures by unknown keys are ignored; the trusted one must still verify")
    func cosignatures() throws {
        let witness = try Ed25519PrivateKey(seed: Array(repeating: 9, count: 32))
        let witnessLine = try String(CheckpointNote.sign(text: Self.checkpoint.body, name: "witness.example", key: witness)
            .split(separator: "\n").last!) + "\n"
        let sigLine = String(Self.note.split(separator: "\n").last!) + "\n"
        let body = Self.checkpoint.body
        #expect(try Checkpoint.verify(note: body + "\n" + witnessLine + sigLine, verifier: Self.verifier) == Self.checkpoint)
        #expect(try Checkpoint.verify(note: body + "\n" + sigLine + witnessLine, verifier: Self.verifier) == Self.checkpoint)
        // An unknown line with the log's name but another key id is ignored, not verified.
        let impostor = try Ed25519PrivateKey(seed: Array(repeating: 3, count: 32))
        let impostorLine = try String(CheckpointNote.sign(text: body, name: Self.origin, key: impostor).split(separator: "\n").last!) + "\n"
        #expect(try Checkpoint.verify(note: body + "\n" + impostorLine + sigLine, verifier: Self.verifier) == Self.checkpoint)
        #expect(throws: AuditLogError.noSignatureFromKey(name: Self.origin, keyID: Self.verifier.keyID)) {
            try Checkpoint.verify(note: body + "\n" + impostorLine + witnessLine, verifier: Self.verifier)
        }
        // Up to the limit of 100 lines is accepted.
        let many = body + "\n" + String(repeating: witnessLine, count: CheckpointNote.maxSignatures - 1) + sigLine
        #expect(try Checkpoint.verify(note: many, verifier: Self.verifier) == Self.checkpoint)
    }

    @Test("signing refuses invalid key names and texts that are not one or more lines")
    func signingRefusals() {
        #expect(throws: AuditLogError.self) { try Self.checkpoint.signedNote(name: "", key: Self.key) }
        #expect(throws: AuditLogError.self) { try Self.checkpoint.signedNote(name: "relais example", key: Self.key) }
        #expect(throws: AuditLogError.self) { try Self.checkpoint.signedNote(name: "relais+example", key: Self.key) }
        #expect(throws: AuditLogError.self) { try CheckpointNote.sign(text: "no newline", name: "n", key: Self.key) }
        #expect(throws: AuditLogError.self) { try CheckpointNote.sign(text: "tab\there\n", name: "n", key: Self.key) }
    }
}
