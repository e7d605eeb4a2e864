import Foundation
@testable import RelaisCore
import Testing

/// `AuditEvent.encoded` writes the canonical JSON itself; these tests hold it to what Foundation's
/// `JSONEncoder` (sorted keys, slashes unescaped) gives for the same event, over every field.
@Suite struct AuditEventEncodingTests {
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {  // SplitMix64: reproducible runs
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Failures print JSON text, not byte lists.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    static func id<Kind>(_ rng: inout Seeded) -> Identifier<Kind> {
        Identifier(bytes: (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) })!
    }

    static func base64(_ rng: inout Seeded) -> String {
        Base64.encode((0..<Int.random(in: 0...90, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) })
    }

    /// Each optional field present with probability `p`.
    static func event(_ rng: inout Seeded, presence p: Double) -> AuditEvent {
        func some(_ rng: inout Seeded) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
        var e = AuditEvent(kind: AuditEvent.Kind.allCases.randomElement(using: &rng)!, time: UInt64.random(in: 0...UInt64.max, using: &rng))
        if some(&rng) { e.organisation = id(&rng) }
        if some(&rng) { e.device = id(&rng) }
        if some(&rng) { e.actor = id(&rng) }
        if some(&rng) { e.role = DeviceRole.allCases.randomElement(using: &rng) }
        if some(&rng) { e.category = PartnerCategory.allCases.randomElement(using: &rng) }
        if some(&rng) { e.publicKey = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined() }
        if some(&rng) { e.record = base64(&rng) }
        if some(&rng) { e.signature = base64(&rng) }
        if some(&rng) { e.sequence = UInt64.random(in: 0...UInt64.max, using: &rng) }
        if some(&rng) { e.accreditedUntil = UInt64.random(in: 0...4_000_000_000, using: &rng) }
        if some(&rng) { e.prekey = base64(&rng) }
        if some(&rng) { e.consent = id(&rng) }
        if some(&rng) { e.consentKind = UInt8.random(in: 0...255, using: &rng) }
        if some(&rng) { e.recipientOrganisations = (0..<Int.random(in: 0...4, using: &rng)).map { _ in id(&rng) } }
        if some(&rng) {
            e.recipientCategories = (0..<Int.random(in: 0...4, using: &rng)).map { _ in PartnerCategory.allCases.randomElement(using: &rng)! }
        }
        if some(&rng) { e.exitProgramme = Bool.random(using: &rng) }
        if some(&rng) { e.validFrom = UInt64.random(in: 0...UInt64.max, using: &rng) }
        if some(&rng) { e.validUntil = UInt64.random(in: 0...UInt64.max, using: &rng) }
        if some(&rng) { e.envelope = id(&rng) }
        if some(&rng) { e.sizeClass = UInt8.random(in: 0...255, using: &rng) }
        if some(&rng) { e.expiresAt = UInt64.random(in: 0...UInt64.max, using: &rng) }
        return e
    }

    @Test(arguments: [0.0, 0.2, 0.5, 0.8, 1.0])
    func theDirectEncodingIsJSONEncoders(presence: Double) throws {
        var rng = Seeded(state: UInt64(presence * 1_000))
        for _ in 0..<400 {
            let e = Self.event(&rng, presence: presence)
            let direct = e.encoded
            #expect(Self.text(direct) == Self.text(e.jsonEncoderBytes))
            #expect(direct == e.jsonEncoderBytes)
            #expect(try AuditEvent.decode(direct) == e)
        }
    }

    @Test func everyFieldAtOnceAndAnEmptyList() throws {
        var rng = Seeded(state: 7)
        var e = Self.event(&rng, presence: 1)
        e.recipientOrganisations = []
        e.record = "a/b+c=="  // slashes stay unescaped
        #expect(Self.text(e.encoded) == Self.text(e.jsonEncoderBytes))
        #expect(e.encoded == e.jsonEncoderBytes)
        #expect(String(decoding: e.encoded, as: UTF8.self).contains("\"record\":\"a/b+c==\""))
    }

    /// No field holds such a string today; if one ever does, the bytes are still JSONEncoder's.
    @Test func stringsThatNeedEscapingFallBackToJSONEncoder() throws {
        for text in ["quote \" inside", "back\\slash", "line\nbreak", "tab\t", "non-ASCII é", "\u{1}"] {
            var e = AuditEvent(kind: .prekeyPublished, time: 1)
            e.prekey = text
            #expect(e.encoded == e.jsonEncoderBytes, "\(text.debugDescription)")
            #expect(try AuditEvent.decode(e.encoded) == e)
        }
    }
}
