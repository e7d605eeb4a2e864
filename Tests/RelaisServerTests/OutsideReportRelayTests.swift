import Foundation
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import Testing

/// Issue 15, "Minors": a report made outside Relais is recorded at the relay (`POST
/// /v1/outside-reports`), checked and logged pseudonymously; every refusal is clear and logs
/// nothing. On SQLite, and on PostgreSQL under scripts/with-postgres.sh.
@Suite("Outside reports at the relay")
struct OutsideReportRelayTests {
    static let subject = ConsentRecord.pseudonym(caseID: "MINEUR-1", key: Array(repeating: 9, count: 32))

    static func report(_ net: Network, by device: DeviceIdentity, organisation: OrganisationID, to: OutsideReportRecord.Recipient = .crip,
                       reportedAt: UInt64? = nil, recordedAt: UInt64? = nil, id: OutsideReportID = .random(using: SystemRandom())) -> OutsideReportRecord {
        let now = net.live.clock.now()
        return OutsideReportRecord(reportId: id, organisationId: organisation, recordedBy: device.deviceID, subjectPseudonym: subject,
                                   reportedTo: to, reportedAt: reportedAt ?? now - 2 * 86_400, recordedAt: recordedAt ?? now)
    }

    /// The record signed as `signed(by:)` does, without its validation (to send what a client would refuse).
    static func signedAnyway(_ r: OutsideReportRecord, by device: DeviceIdentity) throws -> SignedObject {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return SignedObject.sign(Array(try encoder.encode(r)), context: .outsideReport, by: device)
    }

    /// Expects the refusal and that the audit log did not grow.
    func refused(_ live: LiveRelay, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation,
                 _ body: () async throws -> Void) async throws {
        let before = try await live.relay.store.auditLogSize()
        await expectRefusal(status, code, sourceLocation: sourceLocation, body)
        #expect(try await live.relay.store.auditLogSize() == before, "a refused outside report was logged", sourceLocation: sourceLocation)
    }

    @Test(arguments: RelayStoreKind.available) func aReportIsLoggedPseudonymouslyOnce(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let record = Self.report(net, by: net.professional, organisation: net.socialService, to: .hotline119)
            let signed = try record.signed(by: net.professional)
            let before = try await live.relay.store.auditLogSize()
            try await live.client(net.professional).putOutsideReport(signed)
            #expect(try await live.relay.store.auditLogSize() == before + 1)
            let entry = try AuditEvent.decode(try #require(try await live.relay.store.auditEntries(from: before, count: 1).first))
            #expect(entry.kind == .outsideReportRecorded && entry.organisation == net.socialService && entry.actor == net.professional.deviceID)
            #expect(entry.signedRecord == signed && entry.time == live.clock.now())
            // Pseudonymous: the case label never reaches the relay, only its keyed pseudonym in the record.
            let text = String(decoding: entry.encoded, as: UTF8.self)
            #expect(!text.contains("MINEUR-1"))
            let logged = try OutsideReportRecord.verify(try #require(entry.signedRecord), signer: net.professional.publicIdentity)
            #expect(logged == record && logged.reportedTo == .hotline119 && logged.subjectPseudonym == Self.subject)
            // The same id again, even signed again, is refused.
            try await refused(live, 409, "conflict") { try await live.client(net.professional).putOutsideReport(signed) }
            var again = record
            again.reportedTo = .police
            try await refused(live, 409, "conflict") { try await live.client(net.professional).putOutsideReport(try again.signed(by: net.professional)) }
        }
    }

    @Test(arguments: RelayStoreKind.available) func forgedForeignFutureAndMalformedReportsAreRefused(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let pro = live.client(net.professional), now = live.clock.now()
            // Forged: the signature of another key, or a flipped bit.
            let good = try Self.report(net, by: net.professional, organisation: net.socialService).signed(by: net.professional)
            var flipped = good.signature
            flipped[3] ^= 1
            try await refused(live, 400, "outside_report") { try await pro.putOutsideReport(SignedObject(bytes: good.bytes, signature: flipped)) }
            let mallory = DeviceIdentity.generate()
            try await refused(live, 400, "outside_report") {
                try await pro.putOutsideReport(SignedObject.sign(good.bytes, context: .outsideReport, by: mallory))
            }
            // Signed under another context (a declaration's): refused.
            try await refused(live, 400, "outside_report") {
                try await pro.putOutsideReport(SignedObject.sign(good.bytes, context: .childProtectionDeclaration, by: net.professional))
            }
            // Another organisation's device, naming the social service, or naming its own organisation's device as recorder.
            let foreign = Self.report(net, by: net.associationAdmin, organisation: net.socialService)
            try await refused(live, 403, "outside_report_organisation") {
                try await live.client(net.associationAdmin).putOutsideReport(try foreign.signed(by: net.associationAdmin))
            }
            // Signed by the professional but sent by the association's admin: the record names another device than the caller.
            try await refused(live, 400, "outside_report") { try await live.client(net.associationAdmin).putOutsideReport(good) }
            // The operator records nothing.
            let byOperator = Self.report(net, by: net.operatorIdentity, organisation: net.socialService)
            try await refused(live, 403, "role") { try await net.operatorClient.putOutsideReport(try byOperator.signed(by: net.operatorIdentity)) }
            // Dates: a report made tomorrow, recorded now; made and recorded tomorrow; made 31 days ago.
            let tomorrow = now + 86_400
            try await refused(live, 400, "outside_report") {
                try await pro.putOutsideReport(try Self.signedAnyway(Self.report(net, by: net.professional, organisation: net.socialService,
                                                                                 reportedAt: tomorrow), by: net.professional))
            }
            try await refused(live, 400, "outside_report") {
                try await pro.putOutsideReport(try Self.report(net, by: net.professional, organisation: net.socialService,
                                                               reportedAt: tomorrow, recordedAt: tomorrow).signed(by: net.professional))
            }
            try await refused(live, 400, "outside_report") {
                try await pro.putOutsideReport(try Self.signedAnyway(Self.report(net, by: net.professional, organisation: net.socialService,
                                                                                 reportedAt: now - 31 * 86_400), by: net.professional))
            }
            // An old record, recorded 31 days after... by a device whose clock says so long ago: the relay's time decides.
            try await refused(live, 400, "outside_report") {
                try await pro.putOutsideReport(try Self.report(net, by: net.professional, organisation: net.socialService,
                                                               reportedAt: now - 40 * 86_400, recordedAt: now - 39 * 86_400).signed(by: net.professional))
            }
            // Malformed: not a pseudonym, an unknown recipient, an unknown member, not JSON, a raw body that is no signed object.
            var noPseudonym = Self.report(net, by: net.professional, organisation: net.socialService)
            noPseudonym.subjectPseudonym = "MINEUR-1"
            try await refused(live, 400, "outside_report") { try await pro.putOutsideReport(try Self.signedAnyway(noPseudonym, by: net.professional)) }
            let text = String(decoding: good.bytes, as: UTF8.self)
            for bytes in [text.replacingOccurrences(of: "\"crip\"", with: "\"voisin\""), text.replacingOccurrences(of: "{", with: "{\"name\":\"X\","),
                          text.replacingOccurrences(of: "\"version\":1", with: "\"version\":2"), "not json"] {
                try await refused(live, 400, "outside_report") {
                    try await pro.putOutsideReport(SignedObject.sign(Array(bytes.utf8), context: .outsideReport, by: net.professional))
                }
            }
            let before = try await live.relay.store.auditLogSize()
            let raw = try await live.raw(.POST, "/v1/outside-reports", body: Array(#"{"bytes":"!!"}"#.utf8), signer: net.professional)
            #expect(raw.status == 400, "\(raw.status) \(raw.errorCode ?? "")")
            #expect(try await live.relay.store.auditLogSize() == before)
            // A good one still goes through afterwards.
            try await pro.putOutsideReport(good)
            #expect(try await live.relay.store.auditLogSize() == before + 1)
        }
    }
}
