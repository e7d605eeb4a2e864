import Foundation
import RelaisCore
import RelaisCrypto

/// `cosignature.json` (SPEC.md, "Witnesses"): a witness's key, its Ed25519 `cosignature/v1` over
/// SPEC.md's example checkpoint (the RFC 6962 test tree of 8 entries, signed by the key of seed
/// 00 01 … 1f as `relais.example/log`), the exact signed message, the line and the cosigned note;
/// an add-checkpoint request from size 4 with its proof; and cosignatures to refuse.
public struct CosignatureVector: Codable, Equatable, Sendable {
    public struct Witness: Codable, Equatable, Sendable {
        public var name: String
        /// The Ed25519 seed, hex (a vector's secret: never a real witness's).
        public var seed: String
        public var publicKey: String
        /// 8 lowercase hex digits: SHA-256(name ‖ 0x0A ‖ 0x04 ‖ key)[0..<4].
        public var keyId: String
        /// name+keyid+base64(0x04 ‖ key).
        public var verifierKey: String
    }
    public struct Refused: Codable, Equatable, Sendable {
        public var label: String
        /// The log's note with this line appended.
        public var note: String
        /// `AuditLogError` case: `badSignature`, `malformedNote` or `tooFewCosignatures`.
        public var expect: String
    }
    public var description: String
    public var logVerifierKey: String
    public var witness: Witness
    /// The log's signed note (no cosignature).
    public var logNote: String
    public var timestamp: UInt64
    /// What Ed25519 signs: "cosignature/v1\ntime <t>\n" ‖ checkpoint body, as text.
    public var signedMessage: String
    /// The signature line, newline included.
    public var cosignatureLine: String
    /// `logNote` ‖ `cosignatureLine`, as the relay serves it.
    public var cosignedNote: String
    /// The body of `POST /add-checkpoint` for the size-8 checkpoint from a witness at size 4.
    public var addCheckpointRequest: String
    /// A witness key whose type byte is the log's (0x01): refused as a cosigner key.
    public var refusedVerifierKey: String
    public var refused: [Refused]
}

extension VectorGenerator {
    static func cosignatureFile() -> VectorFile {
        let logKey = try! Ed25519PrivateKey(seed: (0..<32).map { UInt8($0) })
        let log = try! CheckpointVerifierKey(name: "relais.example/log", publicKey: logKey.publicKey)
        var tree = MerkleTree()
        for hex in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"] {
            _ = tree.append(entry: Hex.decode(hex)!)
        }
        let checkpoint = try! Checkpoint(origin: log.name, size: 8, root: tree.root)
        let logNote = try! checkpoint.signedNote(name: log.name, key: logKey)
        let seed = SHA256.hash(Array("relais/v1 witness vectors".utf8))
        let witnessKey = try! Ed25519PrivateKey(seed: seed)
        let witness = try! CosignerKey(name: "witness.example/w1", publicKey: witnessKey.publicKey)
        let t = sealTime
        let cosignature = try! Cosignature.sign(body: checkpoint.body, name: witness.name, key: witnessKey, timestamp: t)
        let request = AddCheckpointRequest(oldSize: 4, proof: try! tree.consistencyProof(from: 4, to: 8), note: logNote)

        func line(_ timestamp: UInt64, _ signature: [UInt8], payload: [UInt8]? = nil, keyID: UInt32 = witness.keyID) -> String {
            let bytes = payload ?? (timestamp.bigEndianBytes + signature)
            return CheckpointNote.Signature(name: witness.name, keyID: keyID, bytes: bytes).line
        }
        var flipped = cosignature.signature
        flipped[0] ^= 0x01
        let other = try! Checkpoint(origin: log.name, size: 7, root: try! tree.root(size: 7))
        let refused: [CosignatureVector.Refused] = [
            .init(label: "signature-bit-flipped", note: logNote + line(t, flipped), expect: "badSignature"),
            .init(label: "other-timestamp", note: logNote + line(t + 1, cosignature.signature), expect: "badSignature"),
            .init(label: "cosignature-of-another-checkpoint",
                  note: logNote + (try! Cosignature.sign(body: other.body, name: witness.name, key: witnessKey, timestamp: t)).line, expect: "badSignature"),
            .init(label: "no-timestamp", note: logNote + line(t, [], payload: cosignature.signature), expect: "malformedNote"),
            .init(label: "timestamp-beyond-2^63", note: logNote + line(1 << 63, cosignature.signature), expect: "malformedNote"),
            .init(label: "cosigned-twice", note: logNote + cosignature.line + cosignature.line, expect: "malformedNote"),
            // The witness's key used as a log key (type 0x01): another key id, so not a cosignature.
            .init(label: "plain-note-signature-by-the-witness-key",
                  note: logNote + CheckpointNote.Signature(name: witness.name, keyID: CheckpointVerifierKey.keyID(name: witness.name, publicKey: witnessKey.publicKey),
                                                           bytes: witnessKey.signature(for: Array(checkpoint.body.utf8))).line,
                  expect: "tooFewCosignatures"),
            .init(label: "no-cosignature", note: logNote, expect: "tooFewCosignatures"),
        ]
        let v = CosignatureVector(
            description: "c2sp.org/tlog-cosignature Ed25519 cosignature/v1 (signature type 0x04) by a witness over SPEC.md's example checkpoint; the policy of the refused notes is 1 of 1 with this witness.",
            logVerifierKey: log.encoded,
            witness: .init(name: witness.name, seed: Hex.encode(seed), publicKey: Hex.encode(witnessKey.publicKey.bytes),
                           keyId: Hex.encode(witness.keyID.bigEndianBytes), verifierKey: witness.encoded),
            logNote: logNote, timestamp: t,
            signedMessage: String(decoding: Cosignature.message(body: checkpoint.body, timestamp: t), as: UTF8.self),
            cosignatureLine: cosignature.line, cosignedNote: logNote + cosignature.line,
            addCheckpointRequest: String(decoding: request.encoded, as: UTF8.self),
            refusedVerifierKey: "\(witness.name)+\(Hex.encode(CheckpointVerifierKey.keyID(name: witness.name, publicKey: witnessKey.publicKey).bigEndianBytes))+\(Base64.encode([0x01] + witnessKey.publicKey.bytes))",
            refused: refused)
        return VectorFile(name: "cosignature.json", contents: json(v))
    }
}
