import Foundation
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
@testable import RelaisServer
import Testing

/// Request sessions (SPEC.md, "Request sessions") against a live relay: a session authenticates
/// requests by MAC, and every way of misusing one is refused without changing anything.
@Suite("Relay end to end: request sessions")
struct SessionTests {
    /// A session opened by raw HTTP, with its key derived here (as a client would).
    struct RawSession {
        let id: SessionID
        let key: SecretBytes
        let device: DeviceID
        let expiresAt: UInt64

        static func open(_ live: LiveRelay, as identity: DeviceIdentity, devicePublic override: [UInt8]? = nil) async throws -> (LiveRelay.RawResponse, RawSession?) {
            let ephemeral = X25519PrivateKey.generate()
            let body = Array(#"{"ephemeralPublicKey":"\#(Hex.encode(override ?? ephemeral.publicKey.bytes))"}"#.utf8)
            let r = try await live.raw(.POST, "/v1/sessions", body: body, signer: identity)
            guard r.status == 201, let object = try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any],
                  let id = (object["sessionId"] as? String).flatMap(SessionID.init(hex:)),
                  let relayPublic = (object["relayEphemeralPublicKey"] as? String).flatMap(Hex.decode),
                  let expiresAt = object["expiresAt"] as? Int else { return (r, nil) }
            let key = try RequestSession.deriveKey(sharedSecret: try ephemeral.sharedSecret(with: X25519PublicKey(bytes: relayPublic)), sessionID: id,
                                                   device: identity.deviceID, devicePublicKey: ephemeral.publicKey,
                                                   relayPublicKey: try X25519PublicKey(bytes: relayPublic))
            return (r, RawSession(id: id, key: key, device: identity.deviceID, expiresAt: UInt64(expiresAt)))
        }

        func headers(_ live: LiveRelay, _ method: HTTPMethod, _ target: String, body: [UInt8] = [], timestamp: UInt64? = nil) -> [(String, String)] {
            RequestSession.headers(session: id, key: key, device: device, method: method.rawValue, target: target, body: body,
                                   timestamp: timestamp ?? live.clock.now(), rng: SystemRandom()).map { ($0.name, $0.value) }
        }
    }

    @Test func aSessionAuthenticatesRequestsByMAC() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let (opened, s) = try await RawSession.open(live, as: net.professional)
            #expect(opened.status == 201)
            let session = try #require(s)
            #expect(session.expiresAt == live.clock.now() + live.relay.configuration.sessionLifetimeSeconds)
            // No Relais-Device and no Relais-Signature: only the session headers.
            let sealed = try net.sealToAssociation()
            let submit = try await live.raw(.POST, "/v1/envelopes", body: sealed.bytes, contentType: "application/octet-stream",
                                            extraHeaders: session.headers(live, .POST, "/v1/envelopes", body: sealed.bytes))
            #expect(submit.status == 201)
            let me = try await live.raw(.GET, "/v1/me", extraHeaders: session.headers(live, .GET, "/v1/me"))
            let entry = try JSONSerialization.jsonObject(with: Data(me.body)) as? [String: Any]
            #expect(me.status == 200 && entry?["deviceId"] as? String == net.professional.deviceID.hex)
            // The recipient's typed client opens its own session and works through it.
            let member = live.client(net.associationDevices[0].identity)
            try await member.openSession()
            #expect(try await member.inbox().map(\.envelopeID) == [sealed.header.envelopeID])
            #expect(live.relay.sessions.count == 2)
        }
    }

    @Test func everyMisuseOfASessionIsRefusedAndChangesNothing() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let session = try #require(try await RawSession.open(live, as: net.professional).1)
            let body = try net.sealToAssociation().bytes
            let before = try await live.statistics()
            func submit(_ headers: [(String, String)], body b: [UInt8]? = nil) async throws -> LiveRelay.RawResponse {
                try await live.raw(.POST, "/v1/envelopes", body: b ?? body, contentType: "application/octet-stream", extraHeaders: headers)
            }
            func replacing(_ name: String, _ value: String, in headers: [(String, String)]) -> [(String, String)] {
                headers.map { $0.0 == name ? ($0.0, value) : $0 }
            }
            let good = session.headers(live, .POST, "/v1/envelopes", body: body)
            let mac = try #require(good.first { $0.0 == RequestSession.macHeader }.flatMap { Base64.decode($0.1) })
            var flipped = mac
            flipped[0] ^= 1
            let cases: [(String, [(String, String)], [UInt8]?, String)] = [
                ("flipped MAC bit", replacing(RequestSession.macHeader, Base64.encode(flipped), in: good), nil, "bad_mac"),
                ("changed body", good, body.dropLast() + [body.last! ^ 1], "bad_mac"),
                ("changed nonce", replacing(RequestSignature.nonceHeader, String(repeating: "b", count: 32), in: good), nil, "bad_mac"),
                ("unknown session", replacing(RequestSession.sessionHeader, SessionID.random(using: SystemRandom()).hex, in: good), nil, "session_unknown"),
                ("malformed session id", replacing(RequestSession.sessionHeader, "zz", in: good), nil, "unsigned"),
                ("no MAC", good.filter { $0.0 != RequestSession.macHeader }, nil, "unsigned"),
                ("stale", session.headers(live, .POST, "/v1/envelopes", body: body, timestamp: live.clock.now() - 121), nil, "stale"),
            ]
            for (name, headers, b, code) in cases {
                let r = try await submit(headers, body: b)
                #expect(r.status == 401, "\(name)")
                #expect(r.errorCode == code, "\(name): \(r.errorCode ?? "none")")
            }
            #expect(try await live.statistics() == before)
            // Replayed: the first use passes, the second is refused.
            let inbox = session.headers(live, .GET, "/v1/inbox")
            #expect(try await live.raw(.GET, "/v1/inbox", extraHeaders: inbox).status == 200)
            let replay = try await live.raw(.GET, "/v1/inbox", extraHeaders: inbox)
            #expect(replay.status == 401 && replay.errorCode == "replayed")
            // A session cannot open another one (it would outlive itself without the device key).
            let nested = Array(#"{"ephemeralPublicKey":"\#(Hex.encode(X25519PrivateKey.generate().publicKey.bytes))"}"#.utf8)
            let again = try await live.raw(.POST, "/v1/sessions", body: nested, extraHeaders: session.headers(live, .POST, "/v1/sessions", body: nested))
            #expect(again.status == 403 && again.errorCode == "session_needs_signature")
            // An ephemeral key X25519 refuses (all zeros: a low-order point) or a malformed one.
            let (zero, none) = try await RawSession.open(live, as: net.professional, devicePublic: [UInt8](repeating: 0, count: 32))
            #expect(zero.status == 400 && zero.errorCode == "ephemeral_key" && none == nil)
            let short = try await live.raw(.POST, "/v1/sessions", body: Array(#"{"ephemeralPublicKey":"abcd"}"#.utf8), signer: net.professional)
            #expect(short.status == 400 && short.errorCode == "ephemeral_key")
            #expect(try await live.statistics() == before)
            #expect(live.relay.sessions.count == 1)
        }
    }

    @Test func sessionsEndAtExpiryAndWithTheDevice() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let member = net.associationDevices[1].identity
            let session = try #require(try await RawSession.open(live, as: member).1)
            #expect(try await live.raw(.GET, "/v1/inbox", extraHeaders: session.headers(live, .GET, "/v1/inbox")).status == 200)
            // Expiry: refused one second after the end of its lifetime.
            live.clock.advance(by: Double(live.relay.configuration.sessionLifetimeSeconds))
            let late = try await live.raw(.GET, "/v1/inbox", extraHeaders: session.headers(live, .GET, "/v1/inbox"))
            #expect(late.status == 401 && late.errorCode == "session_unknown")
            // Revocation closes the device's sessions at once.
            let fresh = try #require(try await RawSession.open(live, as: member).1)
            #expect(try await live.raw(.GET, "/v1/inbox", extraHeaders: fresh.headers(live, .GET, "/v1/inbox")).status == 200)
            let revocation = DeviceRevocation(deviceId: member.deviceID, revokedBy: net.associationAdmin.deviceID,
                                              revokedAt: live.clock.now()).signed(by: net.associationAdmin)
            _ = try await live.client(net.associationAdmin).revoke(member.deviceID, revocation: revocation)
            let revoked = try await live.raw(.GET, "/v1/inbox", extraHeaders: fresh.headers(live, .GET, "/v1/inbox"))
            #expect(revoked.status == 401)
            #expect(revoked.errorCode == "session_unknown")
            // Even a session that was not closed gets nothing for a revoked device.
            live.relay.sessions.open(fresh.id, .init(device: member.deviceID, key: fresh.key, expiresAt: fresh.expiresAt), now: live.clock.now())
            let reopened = try await live.raw(.GET, "/v1/inbox", extraHeaders: fresh.headers(live, .GET, "/v1/inbox"))
            #expect(reopened.status == 401 && reopened.errorCode == "unknown_device")
        }
    }

    @Test func theClientFallsBackToSignaturesWhenTheRelayForgetsItsSession() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let client = live.client(net.professional)
            try await client.openSession()
            _ = try await client.submit(try net.sealToAssociation().bytes)
            // As after a relay restart: the relay no longer knows the session.
            live.relay.sessions.close(device: net.professional.deviceID)
            let sealed = try net.sealToAssociation()
            let answer = try await client.submit(sealed.bytes)
            #expect(answer.envelopeID == sealed.header.envelopeID)
            #expect(live.relay.sessions.count == 0, "the retry was signed, not a new session")
            // A device with a session at most `perDevice` open: opening more closes the oldest.
            for _ in 0..<(live.relay.sessions.perDevice + 3) { try await client.openSession() }
            #expect(live.relay.sessions.count == live.relay.sessions.perDevice)
        }
    }
}
