import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisServer
import NIOHTTP1
import Testing

/// Every refusal: status, error code, and the store unchanged.
@Suite("Relay end to end: refusals")
struct RelayRefusalTests {
    /// Runs `body` on a built network and checks the store did not change across it.
    func unchanged(_ body: @Sendable (Network) async throws -> Void) async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let before = try await live.statistics()
            try await body(net)
            #expect(try await live.statistics() == before, "a refused request changed the store")
        }
    }

    @Test func unsignedRequestIsRefused() async throws {
        try await unchanged { net in
            let r = try await net.live.raw(.GET, "/v1/inbox")
            #expect(r.status == 401 && r.errorCode == "unsigned")
            let s = try await net.live.raw(.POST, "/v1/envelopes", body: try net.sealToAssociation().bytes, contentType: "application/octet-stream")
            #expect(s.status == 401 && s.errorCode == "unsigned")
        }
    }

    @Test func forgedSignaturesAreRefused() async throws {
        try await unchanged { net in
            let live = net.live
            let pro = net.professional
            let body = try net.sealToAssociation().bytes
            let good = RequestSignature.sign(method: "POST", target: "/v1/envelopes", body: body, identity: pro, timestamp: live.clock.now(), rng: SystemRandom())
            func send(_ sig: RequestSignature, target: String = "/v1/envelopes", body b: [UInt8]? = nil) async throws -> LiveRelay.RawResponse {
                try await live.raw(.POST, target, body: b ?? body, contentType: "application/octet-stream", signature: sig)
            }
            let signedAsPut = RequestSignature.sign(method: "PUT", target: "/v1/envelopes", body: body, identity: pro,
                                                    timestamp: live.clock.now(), rng: SystemRandom())
            // Signed by another key while claiming the professional's device id.
            let mallory = DeviceIdentity.generate()
            let forged = RequestSignature.sign(method: "POST", target: "/v1/envelopes", body: body, identity: mallory, timestamp: live.clock.now(), rng: SystemRandom())
            let wrongKey = RequestSignature(deviceID: pro.deviceID, timestamp: forged.timestamp, nonce: forged.nonce, signature: forged.signature)
            var flipped = good.signature
            flipped[10] ^= 1
            let cases: [(String, LiveRelay.RawResponse)] = [
                ("wrong key", try await send(wrongKey)),
                ("flipped bit", try await send(RequestSignature(deviceID: pro.deviceID, timestamp: good.timestamp, nonce: good.nonce, signature: flipped))),
                ("changed body", try await send(good, body: body.dropLast() + [body.last! ^ 1])),
                ("changed query", try await send(good, target: "/v1/envelopes?x=1")),
                ("changed method", try await send(signedAsPut)),
                ("changed nonce", try await send(RequestSignature(deviceID: pro.deviceID, timestamp: good.timestamp,
                                                                 nonce: String(repeating: "a", count: 32), signature: good.signature))),
            ]
            for (name, r) in cases {
                #expect(r.status == 401, "\(name)")
                #expect(r.errorCode == "bad_signature", "\(name): \(r.errorCode ?? "none")")
            }
            // Unknown device.
            let stranger = try await live.raw(.GET, "/v1/inbox", signer: mallory)
            #expect(stranger.status == 401 && stranger.errorCode == "unknown_device")
        }
    }

    @Test func routesAndMethodsOutsideTheAPIAreRefusedInJSON() async throws {
        try await unchanged { net in
            let member = net.associationDevices[0].identity
            // A method the path does not have: 405 with Allow, before authentication (signed or not).
            for (method, target, allow) in [(HTTPMethod.DELETE, "/v1/inbox", "GET"), (.PATCH, "/healthz", "GET"),
                                            (.PUT, "/v1/envelopes", "POST"), (.GET, "/v1/envelopes/\(String(repeating: "0", count: 32))/ack", "POST")] {
                for signer in [member, nil] {
                    let r = try await net.live.raw(method, target, signer: signer)
                    #expect(r.status == 405 && r.errorCode == "method_not_allowed", "\(method) \(target): \(r.status) \(r.errorCode ?? "no JSON error")")
                    #expect(r.headers["Allow"].first == allow, "\(method) \(target)")
                }
            }
            // A path the API does not have: 404 in JSON once authenticated, 401 before.
            let r = try await net.live.raw(.GET, "/v1/nope", signer: member)
            #expect(r.status == 404 && r.errorCode == "no_route")
            #expect(r.json["message"]?.contains("nope") != true, "the message names the route shape, not what was sent")
            let anonymous = try await net.live.raw(.GET, "/v1/nope")
            #expect(anonymous.status == 401 && anonymous.errorCode == "unsigned")
        }
    }

    @Test func replayedAndStaleRequestsAreRefused() async throws {
        try await unchanged { net in
            let live = net.live
            let member = net.associationDevices[0].identity
            let sig = RequestSignature.sign(method: "GET", target: "/v1/inbox", body: [], identity: member, timestamp: live.clock.now(), rng: SystemRandom())
            #expect(try await live.raw(.GET, "/v1/inbox", signature: sig).status == 200)
            let replay = try await live.raw(.GET, "/v1/inbox", signature: sig)
            #expect(replay.status == 401 && replay.errorCode == "replayed")
            let skew = live.relay.configuration.clockSkewSeconds
            for offset in [-(Int64(skew) + 1), Int64(skew) + 1] {
                let t = UInt64(Int64(live.clock.now()) + offset)
                let stale = RequestSignature.sign(method: "GET", target: "/v1/inbox", body: [], identity: member, timestamp: t, rng: SystemRandom())
                let r = try await live.raw(.GET, "/v1/inbox", signature: stale)
                #expect(r.status == 401 && r.errorCode == "stale", "offset \(offset)")
            }
            // At the edge of the window: accepted.
            let edge = RequestSignature.sign(method: "GET", target: "/v1/inbox", body: [], identity: member,
                                             timestamp: live.clock.now() + skew, rng: SystemRandom())
            #expect(try await live.raw(.GET, "/v1/inbox", signature: edge).status == 200)
        }
    }

    @Test func anotherOrganisationsEnvelopeLooksLikeNoEnvelope() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let sealed = try net.sealToAssociation()
            _ = try await live.client(net.professional).submit(sealed.bytes)
            let before = try await live.statistics()
            // The social service's admin is not addressed: the same answer as for an id that does not exist.
            let outsider = net.serviceAdmin
            let theirs = try await live.raw(.GET, "/v1/envelopes/\(sealed.header.envelopeID.hex)", signer: outsider)
            let missing = try await live.raw(.GET, "/v1/envelopes/\(EnvelopeID.random(using: SystemRandom()).hex)", signer: outsider)
            #expect(theirs.status == 404 && missing.status == 404)
            #expect(theirs.body == missing.body)
            let ackTheirs = try await live.raw(.POST, "/v1/envelopes/\(sealed.header.envelopeID.hex)/ack", signer: outsider)
            let ackMissing = try await live.raw(.POST, "/v1/envelopes/\(EnvelopeID.random(using: SystemRandom()).hex)/ack", signer: outsider)
            #expect(ackTheirs.status == 404 && ackTheirs.body == ackMissing.body)
            #expect(try await live.client(outsider).inbox().isEmpty, "not even the id is listed")
            // The association's admin is in the organisation but was not addressed either.
            #expect(try await live.client(net.associationAdmin).inbox().isEmpty)
            #expect(try await live.statistics() == before)
        }
    }

    @Test func oversizedBodiesAreRefusedBeforeBeingRead() async throws {
        try await LiveRelay.run(configure: { $0.maxEnvelopeBytes = 16 * 1024; $0.maxJSONBodyBytes = 1024 }) { live in
            let net = try await Network.build(on: live)
            let before = try await live.statistics()
            let big = [UInt8](repeating: 0x41, count: 16 * 1024 + 1)
            let r = try await live.raw(.POST, "/v1/envelopes", body: big, contentType: "application/octet-stream", signer: net.professional)
            #expect(r.status == 413 && r.errorCode == "too_large")
            let json = Array(("{\"signedPrekey\":\"" + String(repeating: "A", count: 1100) + "\"}").utf8)
            let j = try await live.raw(.PUT, "/v1/prekeys", body: json, signer: net.associationDevices[0].identity)
            #expect(j.status == 413 && j.errorCode == "too_large")
            // The limit itself is accepted as far as size goes (then refused as not an envelope).
            let atLimit = try await live.raw(.POST, "/v1/envelopes", body: [UInt8](repeating: 0x41, count: 16 * 1024),
                                             contentType: "application/octet-stream", signer: net.professional)
            #expect(atLimit.status == 400 && atLimit.errorCode == "envelope")
            #expect(try await live.statistics() == before)
        }
    }

    @Test func malformedJSONIsRefused() async throws {
        try await unchanged { net in
            let admin = net.associationAdmin
            for body in ["{", "[]", "{\"role\": 3}", "{\"role\":\"king\"}", "not json"] {
                let r = try await net.live.raw(.POST, "/v1/invites", body: Array(body.utf8), signer: admin)
                #expect(r.status == 400, "\(body)")
                #expect(r.errorCode == "malformed", "\(body): \(r.errorCode ?? "none")")
            }
            let enrol = try await net.live.raw(.POST, "/v1/enrolments", body: Array("{\"invite\":1}".utf8))
            #expect(enrol.status == 400)
            // A category outside the contract's enum, in the directory filter.
            let category = try await net.live.raw(.GET, "/v1/organisations?category=brothel", signer: admin)
            #expect(category.status == 400 && category.errorCode == "malformed", "\(category.errorCode ?? "none")")
            #expect(try await net.live.raw(.GET, "/v1/organisations?category=health", signer: admin).status == 200)
        }
    }

    /// `null` for an optional field of an invite request means the default, as the contract says.
    @Test func nullOptionalInviteFieldsMeanTheDefault() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let body = #"{"role":"member","organisationId":null,"lifetimeSeconds":null}"#
            let r = try await live.raw(.POST, "/v1/invites", body: Array(body.utf8), signer: net.associationAdmin)
            #expect(r.status == 201, "\(r.errorCode ?? "none")")
        }
    }

    @Test func badEnvelopesAreRefused() async throws {
        try await unchanged { net in
            let pro = net.live.client(net.professional)
            // Unknown recipient device.
            let stranger = DeviceIdentity.generate()
            let strangerKey = X25519PrivateKey.generate()
            let now = net.live.clock.now()
            let strangerPrekey = SignedPrekey.sign(publicKey: strangerKey.publicKey, identity: stranger, createdAt: now, notAfter: now + 86_400)
            let toStranger = try Envelope.seal(referral: Array("{}".utf8), from: net.professional,
                                               to: [RecipientDevice(organisationID: net.association, prekey: strangerPrekey)],
                                               consent: ConsentReference(kind: .consent, id: .random(using: SystemRandom())),
                                               expiresAt: now + 86_400, clock: net.live.clock, rng: SystemRandom())
            await expectRefusal(422, "recipient") { _ = try await pro.submit(toStranger.bytes) }
            // A device named under the wrong organisation.
            let wrongOrg = try Envelope.seal(referral: Array("{}".utf8), from: net.professional,
                                             to: [RecipientDevice(organisationID: net.socialService, prekey: net.associationDevices[0].signed)],
                                             consent: ConsentReference(kind: .consent, id: .random(using: SystemRandom())),
                                             expiresAt: now + 86_400, clock: net.live.clock, rng: SystemRandom())
            await expectRefusal(422, "recipient") { _ = try await pro.submit(wrongOrg.bytes) }
            // Expiry beyond the relay's bound (the relay allows 30 days; this relay is told 10).
            let tooLong = try net.sealToAssociation(expiresIn: 30 * 86_400)
            _ = tooLong  // within the protocol maximum: accepted below by a default relay
            // Garbage and truncated envelopes.
            await expectRefusal(400, "envelope") { _ = try await pro.submit(Array("hello".utf8)) }
            await expectRefusal(400, "envelope") { _ = try await pro.submit(Array(try net.sealToAssociation().bytes.dropLast())) }
            // A member of the operator's chain cannot send: the operator has no organisation.
            await expectRefusal(403, "role") { _ = try await net.operatorClient.submit(try net.sealToAssociation().bytes) }
        }
    }

    @Test func expiryOutOfBoundsIsRefused() async throws {
        try await LiveRelay.run(configure: { $0.maxLifetimeSeconds = 10 * 86_400 }) { live in
            let net = try await Network.build(on: live)
            let before = try await live.statistics()
            let pro = live.client(net.professional)
            await expectRefusal(422, "expiry") { _ = try await pro.submit(try net.sealToAssociation(expiresIn: 10 * 86_400 + 1).bytes) }
            // Sealed for one hour, submitted two hours later: already expired.
            let stale = try net.sealToAssociation(expiresIn: 3600)
            live.clock.advance(by: 7200)
            await expectRefusal(422, "expiry") { _ = try await pro.submit(stale.bytes) }
            #expect(try await live.statistics() == before)
            _ = try await pro.submit(try net.sealToAssociation(expiresIn: 10 * 86_400).bytes)
            #expect(try await live.statistics().envelopes == before.envelopes + 1)
        }
    }

    @Test func rateLimitIsExactAndRefills() async throws {
        try await LiveRelay.run(configure: { $0.requestsPerSecond = 2; $0.burst = 5 }) { live in
            // Build the network with a generous clock: each step is a new second.
            let op = DeviceIdentity.generate()
            let record = try DeviceRecord(identity: op.publicIdentity, organisationId: nil, role: .operator, enrolledBy: op.deviceID,
                                          inviteId: live.operatorInvite.id, issuedAt: live.clock.now()).signed(by: op)
            _ = try await live.client(nil).enrol(invite: live.operatorInvite, device: op, record: record)
            let c = live.client(op)
            for i in 1...5 {
                let r = try await live.raw(.GET, "/v1/me", signer: op)
                #expect(r.status == 200, "request \(i) of the burst")
            }
            let before = try await live.statistics()
            let refused = try await live.raw(.GET, "/v1/me", signer: op)
            #expect(refused.status == 429 && refused.errorCode == "rate_limited")
            #expect(refused.headers.first(name: "Retry-After") == "1")
            await expectRefusal(429, "rate_limited") { _ = try await c.whoAmI() }
            live.clock.advance(by: 0.5)  // one token at 2 per second
            #expect(try await live.raw(.GET, "/v1/me", signer: op).status == 200)
            #expect(try await live.raw(.GET, "/v1/me", signer: op).status == 429)
            live.clock.advance(by: 10)  // refilled to the burst, not beyond
            for _ in 1...5 { #expect(try await live.raw(.GET, "/v1/me", signer: op).status == 200) }
            #expect(try await live.raw(.GET, "/v1/me", signer: op).status == 429)
            #expect(try await live.statistics() == before)
        }
    }

    @Test func rolesAreEnforced() async throws {
        try await unchanged { net in
            let live = net.live
            let member = live.client(net.associationDevices[0].identity)
            // A member cannot create organisations, invite, or approve.
            let now = live.clock.now()
            let org = try OrganisationRecord(id: .random(using: SystemRandom()), name: "X", category: .health, departements: ["75"], issuedAt: now)
                .signed(by: net.associationDevices[0].identity)
            await expectRefusal(403, "role") { try await member.putOrganisation(org) }
            await expectRefusal(403, "role") { _ = try await member.createInvite(role: .member) }
            await expectRefusal(403, "role") { _ = try await member.pendingEnrolments() }
            // An organisation record not signed by the operator key is refused even from the operator.
            await expectRefusal(400, "record") { try await net.operatorClient.putOrganisation(org) }
            // An admin cannot invite into another organisation.
            await expectRefusal(403, "organisation") {
                _ = try await live.client(net.associationAdmin).createInvite(role: .member, organisation: net.socialService)
            }
            // An admin cannot revoke another organisation's device: it looks like no device.
            let revocation = DeviceRevocation(deviceId: net.professional.deviceID, revokedBy: net.associationAdmin.deviceID, revokedAt: now)
                .signed(by: net.associationAdmin)
            await expectRefusal(404, "not_found") { _ = try await live.client(net.associationAdmin).revoke(net.professional.deviceID, revocation: revocation) }
            // The operator publishes no prekeys and reads no inbox.
            await expectRefusal(403, "role") { _ = try await net.operatorClient.inbox() }
        }
    }

    @Test func invitesAreOneTime() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let (code, _) = try await live.client(net.associationAdmin).createInvite(role: .member)
            _ = try await live.client(nil).enrol(invite: code, device: DeviceIdentity.generate())
            let before = try await live.statistics()
            await expectRefusal(403, "invite") { _ = try await live.client(nil).enrol(invite: code, device: DeviceIdentity.generate()) }
            // Wrong secret, same id.
            let guessed = InviteCode(id: code.id, secret: [UInt8](repeating: 7, count: 32), anchor: code.anchor)
            await expectRefusal(403, "invite") { _ = try await live.client(nil).enrol(invite: guessed, device: DeviceIdentity.generate()) }
            // Expired.
            let (late, _) = try await live.client(net.associationAdmin).createInvite(role: .member, lifetimeSeconds: 60)
            let mid = try await live.statistics()
            live.clock.advance(by: 61)
            await expectRefusal(403, "invite") { _ = try await live.client(nil).enrol(invite: late, device: DeviceIdentity.generate()) }
            #expect(try await live.statistics() == mid)
            #expect(mid.invites == before.invites + 1)
            // A pending device reaches only /v1/me.
            let pendingDevice = DeviceIdentity.generate()
            let (code2, _) = try await live.client(net.associationAdmin).createInvite(role: .member)
            _ = try await live.client(nil).enrol(invite: code2, device: pendingDevice)
            #expect(try await live.client(pendingDevice).whoAmI().status == "pending")
            await expectRefusal(403, "pending") { _ = try await live.client(pendingDevice).inbox() }
        }
    }
}
