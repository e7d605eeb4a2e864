import Foundation
import RelaisCore
import RelaisCrypto

extension VectorGenerator {
    /// `verifier-key.json` (SPEC.md, "Signed notes", "Checkpoints"): verifier keys split at their
    /// first two `+` only, since the base64 key may hold a `+` and a key name may not. Its own keys,
    /// so that the other files do not change.
    static func verifierKeyFile() -> VectorFile {
        // The key of SPEC.md's example: seed 00 01 … 1f, whose base64 holds a '+'.
        let example = try! Ed25519PrivateKey(seed: (0..<32).map { UInt8($0) }).publicKey
        let relayName = "relais.log/" + Hex.encode(Array(SHA256.hash(example.bytes).prefix(8)))
        func valid(_ name: String) -> VerifierKeyVector.Valid {
            let key = try! CheckpointVerifierKey(name: name, publicKey: example)
            return .init(text: key.encoded, name: name, keyId: Hex.encode(key.keyID.bigEndianBytes), publicKey: Hex.encode(example.bytes))
        }
        let good = try! CheckpointVerifierKey(name: "relais.example/log", publicKey: example)
        let id = Hex.encode(good.keyID.bigEndianBytes)
        let b64 = Base64.encode([0x01] + example.bytes)
        // What a key id over a name with '+' would be: the name is refused all the same.
        let plusName = "relais+example/log"
        let plusID = Hex.encode(CheckpointVerifierKey.keyID(name: plusName, publicKey: example).bigEndianBytes)
        func refused(_ label: String, _ text: String) -> VerifierKeyVector.Refused { .init(label: label, text: text, expect: "malformedVerifierKey") }
        let v = VerifierKeyVector(
            description: "Verifier keys name+keyid+base64(0x01 ‖ Ed25519 key): split at the first two '+' only (a key name has no '+', the hex id neither; the base64 key may). The relay names its log relais.log/ ‖ 16 hex digits of SHA-256(log public key).",
            valid: [valid("relais.example/log"), valid(relayName)],
            refused: [
                refused("name-with-plus", "\(plusName)+\(plusID)+\(b64)"),
                refused("key-id-upper-case", "relais.example/log+\(id.uppercased())+\(b64)"),
                refused("key-id-of-another-name", "relais.example/log+\(plusID)+\(b64)"),
                refused("type-byte-not-ed25519", "relais.example/log+\(id)+\(Base64.encode([0x02] + example.bytes))"),
                refused("key-without-type-byte", "relais.example/log+\(id)+\(Base64.encode(example.bytes))"),
                refused("two-parts", "relais.example/log+\(id)"),
                refused("empty-name", "+\(id)+\(b64)"),
            ])
        return VectorFile(name: "verifier-key.json", contents: json(v))
    }
}
