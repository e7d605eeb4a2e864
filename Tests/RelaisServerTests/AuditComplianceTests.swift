import Foundation
@testable import RelaisClient
import RelaisCore
import RelaisCrypto
import Testing

/// The auditor's delivery rules over a hand-made log: a fetch (`envelopeDelivered`) or an
/// acknowledgement by a device outside the envelope's recipient organisations, after its expiry or
/// after its deletion, is a finding that names the entry.
@Suite("Audit compliance: deliveries")
struct AuditComplianceTests {
    @Test func deliveriesOutsideTheRulesAreFindings() throws {
        let a = OrganisationID(bytes: Array(repeating: 0xA1, count: 16))!, b = OrganisationID(bytes: Array(repeating: 0xB1, count: 16))!
        let sender = OrganisationID(bytes: Array(repeating: 0x51, count: 16))!
        func enrolled(_ org: OrganisationID) -> (DeviceID, AuditEvent) {
            let identity = DeviceIdentity.generate()
            var e = AuditEvent(kind: .deviceEnrolled, time: 100)
            e.device = identity.deviceID
            e.publicKey = Hex.encode(identity.publicIdentity.signingKey.bytes)
            e.role = .member
            e.organisation = org
            return (identity.deviceID, e)
        }
        func submitted(_ id: EnvelopeID, expiresAt: UInt64) -> AuditEvent {
            var e = AuditEvent(kind: .envelopeSubmitted, time: 200)
            e.envelope = id
            e.organisation = sender
            e.consent = ConsentID(bytes: Array(repeating: 0xC1, count: 16))!
            e.consentKind = ConsentReference.Kind.consent.rawValue
            e.recipientOrganisations = [a]
            e.expiresAt = expiresAt
            return e
        }
        func event(_ kind: AuditEvent.Kind, _ id: EnvelopeID, _ device: DeviceID?, at time: UInt64) -> AuditEvent {
            var e = AuditEvent(kind: kind, time: time)
            e.envelope = id
            e.device = device
            return e
        }
        let (inA, enrolledA) = enrolled(a), (inB, enrolledB) = enrolled(b)
        let first = EnvelopeID(bytes: Array(repeating: 0xE1, count: 16))!, second = EnvelopeID(bytes: Array(repeating: 0xE2, count: 16))!
        let log: [AuditEvent] = [
            enrolledA, enrolledB,                                     // 0, 1
            submitted(first, expiresAt: 1_000),                       // 2
            event(.envelopeDelivered, first, inA, at: 500),           // 3: fine
            event(.envelopeDelivered, first, inB, at: 600),           // 4: B is not a recipient
            event(.envelopeAcknowledged, first, inA, at: 650),        // 5: fine
            event(.envelopeDeleted, first, nil, at: 650),             // 6
            event(.envelopeDelivered, first, inA, at: 700),           // 7: after its deletion
            submitted(second, expiresAt: 900),                        // 8
            event(.envelopeDelivered, second, inA, at: 900),          // 9: at its expiry
            event(.envelopeExpired, second, nil, at: 901),            // 10
        ]
        let report = try LocalDevice.compliance(entries: log.map(\.encoded), purgeInterval: 60, now: 1_000)
        let findings = report.findings.filter { $0.rule != "consent-coverage" }  // the consent is not in this log
        #expect(findings.map(\.rule) == ["delivered-to-recipients", "no-delivery-after-expiry", "no-delivery-after-expiry"])
        #expect(findings.map(\.index) == [4, 7, 9])
        #expect(report.checksByRule["delivered-to-recipients"] == 5 && report.checksByRule["no-delivery-after-expiry"] == 5)
        #expect(report.eventsByKind["envelopeDelivered"] == 4)
    }
}
