import Foundation
import RelaisCore
import RelaisCrypto

/// The package root, found from this file's path (Tests/RelaisCoreTests/Support.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let protocolVectors = packageRoot.appendingPathComponent("Protocol/vectors")

/// A sender, two devices of one association and one child-protection device, all deterministic.
struct Cast {
    let now: UInt64 = 1_800_000_000
    let rng = DeterministicRandom(seed: Array("relais core tests".utf8))
    let orgA: OrganisationID, orgB: OrganisationID, orgC: OrganisationID
    let sender: DeviceIdentity
    let devices: [(identity: DeviceIdentity, prekey: X25519PrivateKey, signed: SignedPrekey, org: OrganisationID)]
    let consent: ConsentReference

    init() {
        orgA = .random(using: rng)
        orgB = .random(using: rng)
        orgC = .random(using: rng)
        sender = DeviceIdentity.generate(using: rng)
        var list: [(DeviceIdentity, X25519PrivateKey, SignedPrekey, OrganisationID)] = []
        for org in [orgB, orgB, orgC] {
            let id = DeviceIdentity.generate(using: rng)
            let pk = X25519PrivateKey.generate(using: rng)
            list.append((id, pk, SignedPrekey.sign(publicKey: pk.publicKey, identity: id, createdAt: now - 10, notAfter: now + 7 * 86_400), org))
        }
        devices = list
        consent = ConsentReference(kind: .consent, id: .random(using: rng))
    }

    func recipient(_ i: Int) -> RecipientDevice { RecipientDevice(organisationID: devices[i].org, prekey: devices[i].signed) }

    var clock: FixedClock { FixedClock(now) }

    func referral(kind: Referral.Kind = .orientation, dangerLevel: Int = 1, freeText: String = "Situation décrite avec accord.") -> Referral {
        Referral(kind: kind, needs: kind == .exitProgrammeRequest ? [.exitProgramme] : [.housing, .legalHelp],
                 person: .init(casePseudonym: "C-1", ageBand: .from25to34, minorStatus: .adult, languages: ["fr"],
                               interpreterNeeded: false, administrativeStatus: .residencePermit),
                 safety: .init(dangerLevel: dangerLevel, safeToCall: true), freeText: freeText, consent: consent,
                 sender: .init(name: "Pro Exemple", role: "éducateur"), createdAt: now)
    }

    func seal(_ to: [Int], referral: [UInt8]? = nil, expiresAt: UInt64? = nil) throws -> SealedEnvelope {
        try Envelope.seal(referral: referral ?? self.referral().encoded(), from: sender, to: to.map(recipient), consent: consent,
                          expiresAt: expiresAt ?? now + 14 * 86_400, clock: clock, rng: rng)
    }

    func open(_ bytes: [UInt8], as i: Int, at time: UInt64? = nil, knownSenders: [DevicePublicIdentity]? = nil) throws(EnvelopeError) -> OpenedEnvelope {
        let d = devices[i]
        let known = knownSenders ?? [sender.publicIdentity]
        return try Envelope.open(bytes, as: d.identity.deviceID,
                                 prekeys: { $0 == d.signed.prekeyID ? d.prekey : nil },
                                 senders: { id in known.first { $0.deviceID == id } },
                                 clock: FixedClock(time ?? now))
    }
}

/// The error class thrown by `body`, or "success".
func outcome(_ body: () throws -> Void) -> String {
    do {
        try body()
        return "success"
    } catch let error as EnvelopeError {
        return error.className
    } catch {
        return "unexpected \(type(of: error)): \(error)"
    }
}

/// What `Referral.decode` says of a JSON object: "ok", or the `ReferralError`'s description.
func decodeMessage(_ object: [String: Any]) -> String {
    do {
        _ = try Referral.decode(Array(JSONSerialization.data(withJSONObject: object)))
        return "ok"
    } catch let error as ReferralError {
        return error.description
    } catch {
        return "unexpected \(error)"
    }
}
