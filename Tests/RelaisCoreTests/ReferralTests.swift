import Foundation
import RelaisCore
import RelaisCrypto
import Testing

@Suite("Referral schema v1")
struct ReferralTests {
    let cast = Cast()

    @Test func roundTrip() throws {
        let r = cast.referral()
        #expect(try Referral.decode(r.encoded()) == r)
    }

    static let invalidCases = [
        "dangerLevel 4", "no needs", "duplicate need", "empty pseudonym", "upper-case language", "no language",
        "reply without inReplyTo", "inReplyTo on an orientation", "child-protection report for an adult",
        "child-protection report on consent", "orientation on a declaration", "exit programme without the need",
        "schema version 2", "long code word",
    ]

    static func apply(_ name: String, to r: inout Referral) {
        switch name {
        case "dangerLevel 4": r.safety.dangerLevel = 4
        case "no needs": r.needs = []
        case "duplicate need": r.needs = [.housing, .housing]
        case "empty pseudonym": r.person.casePseudonym = "  "
        case "upper-case language": r.person.languages = ["FR"]
        case "no language": r.person.languages = []
        case "reply without inReplyTo": r.kind = .reply
        case "inReplyTo on an orientation": r.inReplyTo = EnvelopeID(bytes: [UInt8](repeating: 1, count: 16))
        case "child-protection report for an adult":
            r.kind = .childProtectionReport
            r.consent = ConsentReference(kind: .childProtectionDeclaration, id: r.consent.id)
        case "child-protection report on consent":
            r.kind = .childProtectionReport
            r.person.minorStatus = .minor
        case "orientation on a declaration": r.consent = ConsentReference(kind: .childProtectionDeclaration, id: r.consent.id)
        case "exit programme without the need": r.kind = .exitProgrammeRequest
        case "schema version 2": r.schemaVersion = 2
        case "long code word": r.safety.codeWord = String(repeating: "x", count: 201)
        default: Issue.record("unknown case \(name)")
        }
    }

    @Test(arguments: invalidCases)
    func invalidReferralsAreRefused(_ name: String) throws {
        var r = cast.referral()
        try r.validate()
        Self.apply(name, to: &r)
        #expect(throws: ReferralError.self, "\(name)") { try r.validate() }
        #expect(throws: ReferralError.self, "\(name)") { try r.encoded() }
    }

    @Test func childProtectionReportForAMinorIsValid() throws {
        var r = cast.referral()
        r.kind = .childProtectionReport
        r.person.minorStatus = .allegedMinor
        r.consent = ConsentReference(kind: .childProtectionDeclaration, id: r.consent.id)
        r.needs = [.childProtection]
        try r.validate()
    }

    @Test func unknownFieldsAndBadJSONAreRefusedWithTheirPlace() throws {
        let good = try JSONSerialization.jsonObject(with: Data(cast.referral().encoded())) as! [String: Any]
        var extra = good
        extra["realName"] = "X"
        #expect(decodeMessage(extra) == "referral: unknown field \"realName\"")
        var nested = good
        var person = good["person"] as! [String: Any]
        person["address"] = "Y"
        nested["person"] = person
        #expect(decodeMessage(nested) == "person: unknown field \"address\"")
        var missing = good
        missing.removeValue(forKey: "sender")
        #expect(decodeMessage(missing) == "missing sender")
        var badEnum = good
        badEnum["kind"] = "gossip"
        #expect(decodeMessage(badEnum).hasPrefix("kind"))
        #expect(throws: ReferralError.self) { try Referral.decode(Array("not json".utf8)) }
        #expect(throws: ReferralError.self) { try Referral.decode(Array("[1]".utf8)) }
        #expect(decodeMessage(good) == "ok")
    }

    @Test func dangerLevelThreeCarriesTheEmergencyNotice() {
        #expect(cast.referral(dangerLevel: 3).needsEmergencyNotice)
        #expect(!cast.referral(dangerLevel: 2).needsEmergencyNotice)
        #expect(Referral.emergencyNotice.contains("112") && Referral.emergencyNotice.contains("119"))
    }
}

@Suite("Referral JSON strictness")
struct ReferralStrictnessTests {
    let cast = Cast()

    @Test(arguments: [#""kind":"orientation","kind":"reply""#, #""kind":"orientation","\u006bind":"reply""#])
    func repeatedMemberNamesAreRefused(_ members: String) throws {
        let good = String(decoding: try cast.referral().encoded(), as: UTF8.self)
        let twice = good.replacingOccurrences(of: #""kind":"orientation""#, with: members)
        #expect(twice != good)
        #expect(throws: ReferralError.invalid("member \"kind\" appears twice")) { try Referral.decode(Array(twice.utf8)) }
        #expect(try Referral.decode(Array(good.utf8)) == cast.referral())
    }

    @Test func repeatedNamesInNestedObjectsAreRefused() throws {
        let good = String(decoding: try cast.referral().encoded(), as: UTF8.self)
        let twice = good.replacingOccurrences(of: #""dangerLevel":1"#, with: #""dangerLevel":1,"dangerLevel":3"#)
        #expect(throws: ReferralError.invalid("member \"dangerLevel\" appears twice")) { try Referral.decode(Array(twice.utf8)) }
    }

    @Test func invalidUTF8IsRefused() throws {
        var bytes = try cast.referral().encoded()
        let i = bytes.firstIndex(of: UInt8(ascii: "C"))!
        bytes[i] = 0xff
        #expect(throws: ReferralError.invalid("not UTF-8")) { try Referral.decode(bytes) }
    }
}
