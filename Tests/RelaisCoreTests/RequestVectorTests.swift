import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Protocol/vectors/request.json, checked from the committed file with the primitives and the
/// byte layouts of SPEC.md written out here, not through `RequestSignature`/`RequestSession`.
@Suite("Request signature and session vectors")
struct RequestVectorTests {
    let v: RequestVector

    init() throws {
        v = try JSONDecoder().decode(RequestVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("request.json")))
    }

    func canonical(_ r: RequestVector.Request) -> [UInt8] {
        Array("\(r.method)\n\(r.target)\n\(r.timestamp)\n\(r.nonce)\n\(v.deviceId)\n\(r.bodySha256)".utf8)
    }

    @Test func theSignedRequestVerifiesAndIsLaidOutAsSpecified() throws {
        let identity = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: Hex.decode(v.deviceEd25519Seed)!))
        #expect(identity.deviceID.hex == v.deviceId)
        let r = v.signed.request
        #expect(Hex.encode(SHA256.hash(Hex.decode(r.body)!)) == r.bodySha256)
        let message = Array("relais/v1/request".utf8) + [0] + canonical(r)
        #expect(Hex.encode(message) == v.signed.signedMessage)
        let signature = try #require(Base64.decode(v.signed.signature))
        #expect(identity.publicIdentity.signingKey.isValidSignature(signature, for: message))
        var flipped = message
        flipped[flipped.count - 1] ^= 1
        #expect(!identity.publicIdentity.signingKey.isValidSignature(signature, for: flipped))
    }

    @Test func theSessionKeyAndTheMACFollowFromTheEphemeralKeys() throws {
        let s = v.session
        let device = try X25519PrivateKey(scalar: Hex.decode(s.deviceEphemeralSecret)!)
        let relay = try X25519PrivateKey(scalar: Hex.decode(s.relayEphemeralSecret)!)
        #expect(Hex.encode(device.publicKey.bytes) == s.deviceEphemeralPublic)
        #expect(Hex.encode(relay.publicKey.bytes) == s.relayEphemeralPublic)
        // Both sides reach the same secret.
        let shared = try device.sharedSecret(with: relay.publicKey)
        #expect(try relay.sharedSecret(with: device.publicKey) == shared)
        #expect(Hex.encode(shared.bytes) == s.sharedSecret)
        // HKDF-SHA-256: salt = session id, info = label ‖ 0x00 ‖ device id ‖ E_device ‖ E_relay.
        let info = Array("relais/v1/session-key".utf8) + [0] + Hex.decode(v.deviceId)! + device.publicKey.bytes + relay.publicKey.bytes
        let prk = HKDFSHA256.extract(salt: Hex.decode(s.sessionId)!, inputKeyMaterial: shared.bytes)
        let key = try HKDFSHA256.expand(pseudoRandomKey: prk, info: info, length: 32)
        #expect(Hex.encode(key.bytes) == s.sessionKey)
        let message = Array("relais/v1/request-mac".utf8) + [0] + canonical(s.request)
        #expect(Hex.encode(message) == s.macMessage)
        #expect(Base64.encode(HMACSHA256.authenticate(message, key: key.bytes)) == s.mac)
    }
}
