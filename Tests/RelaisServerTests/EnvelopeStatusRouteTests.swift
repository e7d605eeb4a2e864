import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import NIOHTTP1
import Testing

/// `GET /v1/envelopes/{id}/status` (issue 15, `relais cases`): the sender's organisation follows
/// its envelope; the recipients, other organisations and the operator learn nothing, and cannot
/// tell an envelope they may not see from one that does not exist.
@Suite("Relay end to end: what became of a sent envelope")
struct EnvelopeStatusRouteTests {
    @Test func onlyTheSendersOrganisationFollowsItsEnvelope() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let sealed = try net.sealToAssociation()
            let sender = live.client(net.professional)
            _ = try await sender.submit(sealed.bytes)
            let id = sealed.header.envelopeID
            let addressed = net.associationDevices.count
            #expect(try await sender.envelopeStatus(id)
                    == .init(addressed: addressed, delivered: 0, acknowledged: 0, deletedAt: nil, expiresAt: sealed.header.expiresAt))
            // Another device of the sender's organisation sees the same.
            #expect(try await live.client(net.serviceAdmin).envelopeStatus(id)?.addressed == addressed)

            // Each recipient fetches and acknowledges; the counts follow, then the deletion.
            for (i, device) in net.associationDevices.enumerated() {
                let recipient = live.client(device.identity)
                _ = try await recipient.fetch(id)
                #expect(try await sender.envelopeStatus(id)?.delivered == i + 1)
                // A recipient may not follow the sender's envelope: 404, as for an unknown one.
                #expect(try await recipient.envelopeStatus(id) == nil)
                _ = try await recipient.acknowledge(id)
            }
            let last = try #require(try await sender.envelopeStatus(id))
            #expect(last.deletedAt != nil, "every addressed device acknowledged: deleted")

            // The operator is not a receiver: refused. An unknown id: nil. A malformed id: 400.
            await #expect(throws: ClientError.self) { _ = try await net.operatorClient.envelopeStatus(id) }
            #expect(try await sender.envelopeStatus(EnvelopeID.random(using: SystemRandom())) == nil)
            let malformed = try await live.raw(.GET, "/v1/envelopes/not-an-id/status", signer: net.professional)
            #expect(malformed.status == 400, "\(malformed.status) \(malformed.errorCode ?? "")")
            let unsigned = try await live.raw(.GET, "/v1/envelopes/\(id.hex)/status")
            #expect(unsigned.status == 401 && unsigned.errorCode == "unsigned")
        }
    }
}
