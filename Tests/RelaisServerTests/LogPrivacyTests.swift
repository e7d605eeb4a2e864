import Foundation
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import Testing

/// RELIABILITY.md row 15: canaries planted in names, keys, invites and bodies never reach the
/// relay's logs, and CR/LF in a request cannot forge a log line.
@Suite("Relay logs carry no personal data")
struct LogPrivacyTests {
    @Test func canariesNeverReachTheLogs() async throws {
        let logs = LogCapture()
        try await LiveRelay.run(logs: logs) { live in
            let net = try await Network.build(on: live)
            let canaryName = "Association Canari Zyxwvu"
            let now = live.clock.now()
            try await net.operatorClient.putOrganisation(
                OrganisationRecord(id: .random(using: SystemRandom()), name: canaryName, category: .health, departements: ["13"], issuedAt: now)
                    .signed(by: net.operatorIdentity))
            let referral = Array(#"{"canary":"Prénom-Canari-Qwerty"}"#.utf8)
            let sealed = try net.sealToAssociation(referral: referral)
            _ = try await live.client(net.professional).submit(sealed.bytes)
            let (code, _) = try await live.client(net.associationAdmin).createInvite(role: .member)
            _ = try await live.client(nil).enrol(invite: code, device: DeviceIdentity.generate())
            // A refused request whose path carries CR/LF and a fake log line.
            _ = try? await live.raw(.GET, "/v1/devices/abc%0D%0Astatus=200%20forged", signer: net.professional)
            _ = try await live.raw(.GET, "/v1/envelopes/\(sealed.header.envelopeID.hex)", signer: net.associationDevices[0].identity)

            let text = logs.all.joined(separator: "\n")
            #expect(logs.all.count > 20, "the relay logged too little for this check to mean anything")
            let canaries = [canaryName, "Canari", "Qwerty", code.description, Hex.encode(code.secret),
                            Hex.encode(net.professional.privateKey.publicKey.bytes), sealed.header.envelopeID.hex,
                            net.professional.deviceID.hex, Base64.encode(Array(sealed.bytes.prefix(48)))]
            for canary in canaries {
                #expect(!text.contains(canary), "a log line contains \(canary.prefix(12))…")
            }
            #expect(!text.contains("forged"))
            #expect(logs.all.allSatisfy { !$0.contains("\r") && !$0.dropLast().contains("\n") })
            #expect(text.contains("route=/v1/envelopes/:id"), "routes are logged with identifiers masked")
        }
    }
}
