import RelaisCore
import RelaisCrypto
import Testing

/// Verifier keys: key id computation and the `name+keyid+base64(0x01 ‖ key)` text form.
@Suite("Checkpoint verifier key")
struct CheckpointVerifierKeyTests {
    /// golang.org/x/mod/sumdb/note's example key (note_test.go).
    static let goVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"

    @Test("key id is SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[0..<4], big-endian")
    func keyID() throws {
        let key = try Ed25519PrivateKey(seed: Array(0..<32)).publicKey
        let digest = SHA256.hash(Array("relais.example/log".utf8) + [0x0A, 0x01] + key.bytes)
        let expected = UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
        let verifier = try CheckpointVerifierKey(name: "relais.example/log", publicKey: key)
        #expect(verifier.keyID == expected)
        #expect(CheckpointVerifierKey.keyID(name: "relais.example/log", publicKey: key) == expected)
        #expect(CheckpointVerifierKey.keyID(name: "relais.example/log2", publicKey: key) != expected)
        #expect(verifier.encoded == "relais.example/log+\(Hex.encode(Array(digest.prefix(4))))+\(Base64.encode([0x01] + key.bytes))")
        #expect(try CheckpointVerifierKey(parsing: verifier.encoded) == verifier)
    }

    @Test("the Go reference verifier key parses, with its key id")
    func goKey() throws {
        let verifier = try CheckpointVerifierKey(parsing: Self.goVerifierKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f_20a3)
        #expect(verifier.encoded == Self.goVerifierKey)
    }

    /// As note_test.go's TestNewVerifier: every proper substring, and every one-byte change.
    @Test("every truncation and every one-byte change of a verifier key is refused")
    func mangledKeys() {
        let bytes = Array(Self.goVerifierKey.utf8)
        var tally = MerkleRefusalTally()
        for i in 0...bytes.count {
            for j in (i + 1)..<(bytes.count + 1) where i != 0 || j != bytes.count {
                let text = String(decoding: bytes[i..<j], as: UTF8.self)
                tally.refuse("substring \(i)..<\(j)") { () throws(AuditLogError) in _ = try CheckpointVerifierKey(parsing: text) }
            }
        }
        for i in bytes.indices {
            var changed = bytes
            changed[i] &+= 1
            let text = String(decoding: changed, as: UTF8.self)
            tally.refuse("byte \(i) + 1") { () throws(AuditLogError) in _ = try CheckpointVerifierKey(parsing: text) }
        }
        tally.finish(atLeast: 2000)
    }

    static let malformed: [String] = [
        "",
        "PeterNeumann",
        "PeterNeumann+c74f20a3",
        "PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // upper-case id
        "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // 7 digits
        "PeterNeumann+c74f20a30+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // 9 digits
        "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // wrong id
        "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // not base64 of 33 bytes
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW=",  // padding where none belongs
        "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // type 0x02
        "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // space in name
        "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // empty name
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW+",  // trailing '+'
        " PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
        "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
    ]

    @Test("malformed verifier keys are refused as malformedVerifierKey", arguments: malformed)
    func malformedKey(_ text: String) {
        if case .malformedVerifierKey? = MerkleTestSupport.outcome({ () throws(AuditLogError) in _ = try CheckpointVerifierKey(parsing: text) }) {
        } else {
            Issue.record("\"\(text)\" was not refused as malformedVerifierKey")
        }
    }

    @Test("key names: non-empty, no Unicode space, no '+', no control character")
    func names() throws {
        for good in ["relais.example/log", "PeterNeumann", "été.example/log", "a"] {
            #expect(CheckpointVerifierKey.isValidName(good), "\(good)")
        }
        for bad in ["", "a b", "a+b", "a\u{00A0}b", "a\u{2003}b", "a\u{3000}b", "a\tb", "a\nb", "a\u{85}b", "a\u{1}b"] {
            #expect(!CheckpointVerifierKey.isValidName(bad), "\(bad.debugDescription)")
        }
        let key = try Ed25519PrivateKey(seed: Array(0..<32)).publicKey
        #expect(throws: AuditLogError.self) { try CheckpointVerifierKey(name: "a b", publicKey: key) }
    }
}
