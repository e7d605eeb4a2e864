import RelaisCore
import RelaisCrypto
import Testing

@Suite("Envelope seal and open")
struct EnvelopeTests {
    let cast = Cast()

    @Test func everyAddressedDeviceOpensTheSameReferral() throws {
        let referral = try cast.referral().encoded()
        let sealed = try cast.seal([0, 1, 2], referral: referral)
        #expect(sealed.header.recipientOrganisations == [cast.orgB, cast.orgC].sorted())
        #expect(Set(sealed.header.recipientDevices) == Set(cast.devices.map(\.identity.deviceID)))
        for i in 0..<3 {
            let opened = try cast.open(sealed.bytes, as: i)
            #expect(opened.referralBytes == referral)
            #expect(opened.sender.deviceID == cast.sender.deviceID)
            #expect(try opened.referral() == cast.referral())
        }
    }

    @Test func bodyLengthLeaksOnlyTheSizeClass() throws {
        let short = try cast.seal([0], referral: cast.referral(freeText: "a").encoded())
        let longer = try cast.seal([0], referral: cast.referral(freeText: String(repeating: "b", count: 300)).encoded())
        #expect(short.header.sizeClass == longer.header.sizeClass)
        #expect(short.bytes.count == longer.bytes.count)
        let big = try cast.seal([0], referral: cast.referral(freeText: String(repeating: "c", count: 5000)).encoded())
        #expect(big.header.sizeClass == 3)
        #expect(big.bytes.count - big.header.encoded.count == 8192 + 16)
    }

    @Test func aSecondEnvelopeDiffersEvenForTheSameInput() throws {
        let a = try cast.seal([0]), b = try cast.seal([0])
        #expect(a.header.envelopeID != b.header.envelopeID)
        #expect(a.bytes != b.bytes)
    }

    @Test func sealRefusesBadInput() throws {
        let referral = try cast.referral().encoded()
        func refusal(_ to: [RecipientDevice], expiresAt: UInt64? = nil, size: Int = 0, minClass: UInt8 = 0) -> String {
            outcome {
                _ = try Envelope.seal(referral: size > 0 ? [UInt8](repeating: 0x41, count: size) : referral, from: cast.sender, to: to,
                                      consent: cast.consent, expiresAt: expiresAt ?? cast.now + 100, minimumSizeClass: minClass,
                                      clock: cast.clock, rng: cast.rng)
            }
        }
        #expect(refusal([]) == "invalidSealInput")
        #expect(refusal([cast.recipient(0), cast.recipient(0)]) == "invalidSealInput")
        #expect(refusal([cast.recipient(0)], expiresAt: cast.now) == "invalidSealInput")
        #expect(refusal([cast.recipient(0)], size: 4 * 1024 * 1024) == "invalidSealInput")
        #expect(refusal([cast.recipient(0)], minClass: 13) == "invalidSealInput")
        #expect(refusal([cast.recipient(0)], size: 4 * 1024 * 1024 - 200) == "success")
        // A prekey past its not_after.
        let d = cast.devices[0]
        let old = SignedPrekey.sign(publicKey: d.prekey.publicKey, identity: d.identity, createdAt: cast.now - 100, notAfter: cast.now)
        #expect(refusal([RecipientDevice(organisationID: d.org, prekey: old)]) == "invalidSealInput")
    }

    @Test func openChecksRunInOrder() throws {
        let sealed = try cast.seal([0])
        #expect(outcome { _ = try cast.open(sealed.bytes, as: 1) } == "noStanzaForDevice")
        #expect(outcome { _ = try cast.open(sealed.bytes, as: 0, knownSenders: []) } == "unknownSender")
        let impostor = DevicePublicIdentity(signingKey: DeviceIdentity.generate(using: cast.rng).privateKey.publicKey)
        #expect(outcome { _ = try cast.open(sealed.bytes, as: 0, knownSenders: [impostor]) } == "unknownSender")
        #expect(outcome { _ = try cast.open(sealed.bytes, as: 0, at: sealed.header.expiresAt) } == "expired")
        #expect(outcome { _ = try cast.open(sealed.bytes, as: 0, at: sealed.header.expiresAt - 1) } == "success")
        // Expiry is checked last: an expired envelope with a bad body reports the body.
        var broken = sealed.bytes
        broken[broken.count - 1] ^= 1
        #expect(outcome { _ = try cast.open(broken, as: 0, at: sealed.header.expiresAt + 10) } == "bodyDecryptionFailed")
    }

    @Test func everySingleByteChangeIsRefused() throws {
        let sealed = try cast.seal([0, 1])
        // Every byte of the header and a sample of the body: flipping any bit must not open.
        let positions = Array(0..<sealed.header.encoded.count) + Array(stride(from: sealed.header.encoded.count, to: sealed.bytes.count, by: 97))
        for i in positions {
            var b = sealed.bytes
            b[i] ^= 0x04
            let got = outcome { _ = try cast.open(b, as: 0) }
            #expect(got != "success", "byte \(i) changed yet the envelope opened")
        }
    }

    @Test func randomGarbageNeverCrashesTheParser() {
        let rng = DeterministicRandom(seed: [7])
        var refused = 0
        for n in 0..<2_000 {
            let bytes = EnvelopeHeader.magic + [1] + rng.bytes(n % 400)
            if (try? EnvelopeHeader.parse(bytes)) == nil { refused += 1 }
        }
        #expect(refused > 1_900)
    }

    @Test func referralMustNameTheHeadersConsent() throws {
        var r = cast.referral()
        r.consent = ConsentReference(kind: .consent, id: .random(using: cast.rng))
        let sealed = try cast.seal([0], referral: r.encoded())
        let opened = try cast.open(sealed.bytes, as: 0)
        #expect(outcome { _ = try opened.referral() } == "malformedReferral")
    }

    @Test func errorsSayWhatToDo() {
        #expect(EnvelopeError.unknownSender(cast.sender.deviceID).description.contains("directory"))
        #expect(EnvelopeError.prekeyUnavailable(cast.devices[0].signed.prekeyID).description.contains("erased"))
    }

    @Test func aMalformedReferralNamesTheSchemaVersionsThisCodeReads() {
        #expect(Referral.readableVersions == 1...2)
        #expect(EnvelopeError.malformedReferral("x").description == "referral does not match referral schema version 1 or 2: x")
    }
}

@Suite("Envelope lifetime bounds")
struct EnvelopeLifetimeTests {
    let cast = Cast()

    @Test func lifetimeIsAtMostThirtyDays() throws {
        #expect(outcome { _ = try cast.seal([0], expiresAt: cast.now + Envelope.maximumLifetime) } == "success")
        #expect(outcome { _ = try cast.seal([0], expiresAt: cast.now + Envelope.maximumLifetime + 1) } == "invalidSealInput")
        #expect(outcome { _ = try cast.seal([0], expiresAt: cast.now + 1) } == "success")
    }
}
