import Foundation
import RelaisCore
public import RelaisCrypto

/// XChaCha20-Poly1305 is not key-committing: one ciphertext can authenticate under two keys
/// ("invisible salamanders", partitioning oracles). These vectors build such a body (SPEC.md,
/// "Roots of trust, keystore and primitives") and show that the envelope's frame refuses it: the
/// AEAD accepts it under both keys (step 4 of "Opening" passes), the frame does not (step 5).
extension VectorGenerator {
    /// Two files: the bare AEAD case (`aead/`) and a two-recipient envelope whose stanzas wrap two
    /// different content keys around one body, opened by each recipient (`envelope/`). Drawn from
    /// a random stream of their own, so that the other files do not change.
    static func commitmentFiles(sender s: Actor, first r1: Actor, second r2: Actor, consent: ConsentReference,
                                expiresAt: UInt64, senders: [EnvelopeVector.Sender]) -> [VectorFile] {
        let rng = DeterministicRandom(seed: SHA256.hash(Array("relais/v1 key-commitment vectors".utf8)))
        var files: [VectorFile] = []

        // The AEAD alone: a chosen plaintext under key 1, one 16-byte block solved so that the tag
        // also verifies under key 2.
        let key1 = SecretBytes(rng.bytes(32)), key2 = SecretBytes(rng.bytes(32))
        let associated = Array("relais/v1 two keys, one ciphertext".utf8)
        let chosen = Array(String(repeating: "Sous la cle 1, ce texte; sous la cle 2, du bruit. ", count: 2).utf8.prefix(96))
        let aead = TwoKeyCiphertext.solve(plaintext: chosen, associatedData: associated, key1: key1, key2: key2, freeBlocks: [5, 4, 3])!
        files.append(VectorFile(name: "aead/xchacha20poly1305-two-keys.json", contents: json(AEADTwoKeysVector(
            description: "One XChaCha20-Poly1305 ciphertext (nonce: 24 zero bytes) that authenticates under two keys; block \(aead.freeBlock) of the plaintext under key 1 was solved for. Relais relies on its frame, not on the AEAD, to refuse such a body.",
            key1: Hex.encode(key1.bytes), key2: Hex.encode(key2.bytes), nonce: Hex.encode(Envelope.bodyNonce),
            associatedData: Hex.encode(associated), ciphertext: Hex.encode(aead.sealed),
            plaintext1: Hex.encode(aead.plaintext1), plaintext2: Hex.encode(aead.plaintext2), freeBlock: aead.freeBlock))))

        // The envelope: content key K1 wrapped for r1, K2 for r2, one body. The plaintext under K1 is
        // the sender's genuine frame but for one padding block, the only block a sender can solve
        // for without breaking its own signature; under K2 it is noise.
        let k1 = SecretBytes(rng.bytes(32)), k2 = SecretBytes(rng.bytes(32))
        let stanzas = [(r1, k1), (r2, k2)].sorted { $0.0.identity.deviceID < $1.0.identity.deviceID }.map { a, k in
            EnvelopeHeader.Stanza(deviceID: a.identity.deviceID, prekeyID: a.prekey.prekeyID,
                                  wrappedKey: try! SealedBox.seal(k.bytes, to: a.prekey.publicKey, using: rng))
        }
        let header = try! EnvelopeHeader(envelopeID: .random(using: rng), expiresAt: expiresAt, consent: consent, sizeClass: 0,
                                         recipientOrganisations: [r1.organisation], stanzas: stanzas)
        let signed = SignedReferral(envelopeID: header.envelopeID, headerHash: header.hash, senderDeviceID: s.identity.deviceID,
                                    recipients: [r1, r2].map(\.identity.deviceID).sorted(),
                                    referral: sampleOrientation(consent: consent)).signedBytes
        let frame = SignedReferral.plaintext(signed: signed, signature: s.identity.sign(.signedReferral, signed),
                                             paddedLength: header.paddedLength)
        let paddingStart = (4 + signed.count + Ed25519PrivateKey.signatureByteCount + 15) / 16
        precondition(paddingStart < frame.count / 16, "the sample referral leaves no whole padding block")
        let body = TwoKeyCiphertext.solve(plaintext: frame, associatedData: header.encoded,
                                          key1: Envelope.bodyKey(contentKey: k1, envelopeID: header.envelopeID),
                                          key2: Envelope.bodyKey(contentKey: k2, envelopeID: header.envelopeID),
                                          freeBlocks: Array((paddingStart..<frame.count / 16).reversed()))!
        let envelope = header.encoded + body.sealed
        for (name, opener, what) in [("two-keys-one-body-first", r1, "the sender's frame with one padding block solved for"),
                                     ("two-keys-one-body-second", r2, "noise")] {
            let v = EnvelopeVector(
                name: name,
                description: "The sender wraps two content keys around one body that authenticates under both body keys; this recipient's plaintext is \(what), refused by the frame.",
                expect: "malformedPayload", now: sealTime, opener: opener.opener(), senders: senders, envelope: Hex.encode(envelope),
                referral: nil, signedRecipients: nil, senderDeviceId: nil)
            files.append(VectorFile(name: "envelope/\(name).json", contents: json(v)))
        }
        return files
    }
}

/// `aead/xchacha20poly1305-two-keys.json`.
public struct AEADTwoKeysVector: Codable, Equatable, Sendable {
    public var description: String
    public var key1: String
    public var key2: String
    public var nonce: String
    public var associatedData: String
    /// Ciphertext ‖ tag.
    public var ciphertext: String
    public var plaintext1: String
    public var plaintext2: String
    /// The 16-byte block of the plaintext (under key 1) that was solved for.
    public var freeBlock: Int
}

/// Builds an XChaCha20-Poly1305 ciphertext (nonce of zeros, as envelope bodies use) that opens under
/// two keys, by solving for one 16-byte ciphertext block: Poly1305 is linear in its blocks, so with
/// every other block fixed, equal tags are one linear equation modulo 2^130 − 5.
public enum TwoKeyCiphertext {
    public struct Result: Sendable {
        public let sealed: [UInt8]
        public let plaintext1: [UInt8]
        public let plaintext2: [UInt8]
        public let freeBlock: Int
    }

    /// `plaintext` is what key 1 should give, but for the free block (tried in the order given);
    /// its length must be a multiple of 16. Nil if no candidate works (each has about one chance
    /// in eight).
    public static func solve(plaintext: [UInt8], associatedData: [UInt8], key1: SecretBytes, key2: SecretBytes,
                             freeBlocks: [Int]) -> Result? {
        precondition(plaintext.count % 16 == 0)
        let nonce = Envelope.bodyNonce
        let stream1 = try! XChaCha20Stream.keystream(key: key1, nonce: nonce, count: 64 + plaintext.count)
        let stream2 = try! XChaCha20Stream.keystream(key: key2, nonce: nonce, count: 64 + plaintext.count)
        let (r1, s1) = oneTimeKey(stream1), (r2, s2) = oneTimeKey(stream2)
        var ciphertext = zip(plaintext, stream1[64...]).map { $0 ^ $1 }
        let adBlocks = (associatedData.count + 15) / 16
        let sDifference = subtract128(s2, s1)  // (s2 − s1) mod 2^128
        for j in freeBlocks where j >= 0 && j < plaintext.count / 16 {
            ciphertext.replaceSubrange(j * 16..<j * 16 + 16, with: [UInt8](repeating: 0, count: 16))
            var blocks = macBlocks(associatedData: associatedData, ciphertext: ciphertext)
            let index = adBlocks + j
            blocks[index] = FieldElement.zero   // the free block's term, added below
            let a1 = polynomial(blocks, r1), a2 = polynomial(blocks, r2)
            let exponent = blocks.count - index
            let coefficient = r1.power(exponent) - r2.power(exponent)
            // h1 − h2 = (s2 − s1 mod 2^128) + k · 2^128 for some k in −4...3 (h1, h2 < p < 2^130).
            for k in -4...3 {
                let target = sDifference + FieldElement.twoTo128 * FieldElement(small: k)
                let m = ((target - (a1 - a2)) * coefficient.inverse).canonicalBytes
                // A block's Poly1305 term is its 16 bytes plus 2^128: m must lie in [2^128, 2^129).
                guard m[16] == 1 else { continue }
                var candidate = ciphertext
                candidate.replaceSubrange(j * 16..<j * 16 + 16, with: m[0..<16])
                let sealed = candidate + tag(macBlocks(associatedData: associatedData, ciphertext: candidate), r: r1, s: s1)
                guard let p1 = try? XChaCha20Poly1305.open(sealed, key: key1, nonce: nonce, associatedData: associatedData),
                      let p2 = try? XChaCha20Poly1305.open(sealed, key: key2, nonce: nonce, associatedData: associatedData)
                else { continue }
                return Result(sealed: sealed, plaintext1: p1, plaintext2: p2, freeBlock: j)
            }
            ciphertext.replaceSubrange(j * 16..<j * 16 + 16, with: zip(plaintext[j * 16..<j * 16 + 16], stream1[64 + j * 16..<64 + j * 16 + 16]).map { $0 ^ $1 })
        }
        return nil
    }

    /// The Poly1305 key from the first block of the stream: r clamped (RFC 8439), s.
    static func oneTimeKey(_ stream: [UInt8]) -> (r: FieldElement, s: [UInt8]) {
        var r = Array(stream[0..<16])
        for i in [3, 7, 11, 15] { r[i] &= 0x0f }
        for i in [4, 8, 12] { r[i] &= 0xfc }
        return (FieldElement(littleEndian: r), Array(stream[16..<32]))
    }

    /// The AEAD's Poly1305 input (RFC 8439 §2.8): AD and ciphertext each padded to 16 bytes, then
    /// both lengths as u64 little-endian; every block is full, so each term is block + 2^128.
    static func macBlocks(associatedData: [UInt8], ciphertext: [UInt8]) -> [FieldElement] {
        func padded(_ b: [UInt8]) -> [UInt8] { b + [UInt8](repeating: 0, count: (16 - b.count % 16) % 16) }
        func le64(_ n: Int) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: UInt64(n) >> (8 * $0)) } }
        let all = padded(associatedData) + padded(ciphertext) + le64(associatedData.count) + le64(ciphertext.count)
        return stride(from: 0, to: all.count, by: 16).map { FieldElement(littleEndian: Array(all[$0..<$0 + 16]) + [1]) }
    }

    /// Σ m_i · r^(n−i), i = 0..<n.
    static func polynomial(_ blocks: [FieldElement], _ r: FieldElement) -> FieldElement {
        blocks.reduce(FieldElement.zero) { ($0 + $1) * r }
    }

    static func tag(_ blocks: [FieldElement], r: FieldElement, s: [UInt8]) -> [UInt8] {
        let h = polynomial(blocks, r).canonicalBytes
        var out = [UInt8](repeating: 0, count: 16)
        var carry = 0
        for i in 0..<16 {
            let sum = Int(h[i]) + Int(s[i]) + carry
            out[i] = UInt8(sum & 0xff)
            carry = sum >> 8
        }
        return out
    }

    /// (a − b) mod 2^128 as a field element (a, b: 16 bytes little-endian).
    static func subtract128(_ a: [UInt8], _ b: [UInt8]) -> FieldElement {
        var out = [UInt8](repeating: 0, count: 16)
        var borrow = 0
        for i in 0..<16 {
            var d = Int(a[i]) - Int(b[i]) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 256 }
            out[i] = UInt8(d)
        }
        return FieldElement(littleEndian: out)
    }
}

/// An integer modulo p = 2^130 − 5 in five 26-bit limbs (the representation of poly1305-donna).
struct FieldElement {
    private static let mask: UInt64 = (1 << 26) - 1
    var limbs: [UInt64]

    static let zero = FieldElement(limbs: [0, 0, 0, 0, 0])
    static let one = FieldElement(limbs: [1, 0, 0, 0, 0])
    static let twoTo128 = FieldElement(littleEndian: [UInt8](repeating: 0, count: 16) + [1])

    init(limbs: [UInt64]) { self.limbs = limbs }

    /// A small signed integer.
    init(small: Int) {
        let magnitude = FieldElement(limbs: [UInt64(abs(small)), 0, 0, 0, 0])
        self = small < 0 ? FieldElement.zero - magnitude : magnitude
    }

    /// Up to 17 bytes, little-endian (below 2^136; reduced).
    init(littleEndian bytes: [UInt8]) {
        precondition(bytes.count <= 17)
        var w: [UInt64] = [0, 0, 0]
        for (i, b) in bytes.enumerated() { w[i / 8] |= UInt64(b) << (8 * UInt64(i % 8)) }
        let m = Self.mask
        var l: [UInt64] = [w[0] & m, (w[0] >> 26) & m, ((w[0] >> 52) | (w[1] << 12)) & m, (w[1] >> 14) & m,
                           ((w[1] >> 40) | (w[2] << 24)) & m]
        l[0] += 5 * (w[2] >> 2)  // bits from 130 up: 2^130 ≡ 5
        self.init(limbs: l)
        carry()
    }

    private mutating func carry() {
        for _ in 0..<2 {
            for i in 0..<4 {
                limbs[i + 1] += limbs[i] >> 26
                limbs[i] &= Self.mask
            }
            limbs[0] += 5 * (limbs[4] >> 26)
            limbs[4] &= Self.mask
        }
    }

    static func + (a: FieldElement, b: FieldElement) -> FieldElement {
        var r = FieldElement(limbs: zip(a.limbs, b.limbs).map { $0 + $1 })
        r.carry()
        return r
    }

    /// a + 4p − b: limbs stay positive for carried inputs.
    static func - (a: FieldElement, b: FieldElement) -> FieldElement {
        let fourP: [UInt64] = [0xfffffec, 0xffffffc, 0xffffffc, 0xffffffc, 0xffffffc]
        var r = FieldElement(limbs: (0..<5).map { a.limbs[$0] + fourP[$0] - b.limbs[$0] })
        r.carry()
        return r
    }

    static func * (a: FieldElement, b: FieldElement) -> FieldElement {
        let (a0, a1, a2, a3, a4) = (a.limbs[0], a.limbs[1], a.limbs[2], a.limbs[3], a.limbs[4])
        let (b0, b1, b2, b3, b4) = (b.limbs[0], b.limbs[1], b.limbs[2], b.limbs[3], b.limbs[4])
        let (s1, s2, s3, s4) = (b1 * 5, b2 * 5, b3 * 5, b4 * 5)
        var d: [UInt64] = [
            a0 * b0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1,
            a0 * b1 + a1 * b0 + a2 * s4 + a3 * s3 + a4 * s2,
            a0 * b2 + a1 * b1 + a2 * b0 + a3 * s4 + a4 * s3,
            a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * s4,
            a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0,
        ]
        for i in 0..<4 {
            d[i + 1] += d[i] >> 26
            d[i] &= mask
        }
        d[0] += 5 * (d[4] >> 26)
        d[4] &= mask
        var r = FieldElement(limbs: d)
        r.carry()
        return r
    }

    func power(_ e: Int) -> FieldElement {
        var result = FieldElement.one, base = self, e = e
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            base = base * base
            e >>= 1
        }
        return result
    }

    /// self^(p − 2), p − 2 = 2^130 − 7: bit 0 set, bits 1 and 2 clear, bits 3...129 set.
    var inverse: FieldElement {
        var result = FieldElement.one
        for bit in (0..<130).reversed() {
            result = result * result
            if bit == 0 || bit >= 3 { result = result * self }
        }
        return result
    }

    /// The value fully reduced below p, as 17 bytes little-endian.
    var canonicalBytes: [UInt8] {
        var h = self
        h.carry()
        // h < 2^130 + small; subtract p once if h ≥ p (h + 5 ≥ 2^130).
        var g = h.limbs
        g[0] += 5
        for i in 0..<4 {
            g[i + 1] += g[i] >> 26
            g[i] &= Self.mask
        }
        if g[4] >> 26 != 0 {
            g[4] &= Self.mask
            h.limbs = g
        }
        var out = [UInt8](repeating: 0, count: 17)
        var acc: UInt64 = 0, bits: UInt64 = 0, o = 0
        for limb in h.limbs {
            acc |= limb << bits
            bits += 26
            while bits >= 8, o < 17 {
                out[o] = UInt8(acc & 0xff)
                acc >>= 8
                bits -= 8
                o += 1
            }
        }
        if o < 17 { out[o] = UInt8(acc & 0xff) }
        return out
    }
}
