import Foundation
import RelaisCore
import RelaisCrypto
import RelaisVectors
import Testing

/// Protocol/vectors/ is pinned: regenerated here and compared byte for byte, then every envelope
/// vector is opened from the committed file and must give its `expect`.
@Suite("Protocol vectors")
struct VectorTests {
    static let files = VectorGenerator.generate()

    @Test func generatorIsDeterministic() {
        let again = VectorGenerator.generate()
        #expect(again.map(\.name) == Self.files.map(\.name))
        #expect(zip(again, Self.files).allSatisfy { $0.contents == $1.contents })
    }

    @Test func committedFilesMatchTheGeneratorByteForByte() throws {
        var committed = Set<String>()
        let enumerator = FileManager.default.enumerator(at: protocolVectors, includingPropertiesForKeys: nil)
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "json" { committed.insert(String(url.path.dropFirst(protocolVectors.path.count + 1))) }
        }
        #expect(committed == Set(Self.files.map(\.name)), "run `swift run relais-vectors` and commit Protocol/vectors")
        for file in Self.files {
            let onDisk = try Data(contentsOf: protocolVectors.appendingPathComponent(file.name))
            #expect(Array(onDisk) == file.contents, "\(file.name) differs from the generator's output")
        }
        print("Protocol vectors: \(Self.files.count) files match the generator byte for byte")
    }

    static func envelopeVectors() throws -> [EnvelopeVector] {
        let dir = protocolVectors.appendingPathComponent("envelope")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".json") }.sorted().map {
            try JSONDecoder().decode(EnvelopeVector.self, from: Data(contentsOf: dir.appendingPathComponent($0)))
        }
    }

    /// Opens a vector as its opener, exactly as a client would.
    static func open(_ v: EnvelopeVector) throws(EnvelopeError) -> OpenedEnvelope {
        let prekeys = Dictionary(uniqueKeysWithValues: v.opener.prekeys.map {
            (PrekeyID(hex: $0.prekeyId)!, try! X25519PrivateKey(scalar: Hex.decode($0.x25519Secret)!))
        })
        let senders = v.senders.map { DevicePublicIdentity(signingKey: try! Ed25519PublicKey(bytes: Hex.decode($0.ed25519Public)!)) }
        return try Envelope.open(Hex.decode(v.envelope)!, as: DeviceID(hex: v.opener.deviceId)!,
                                 prekeys: { prekeys[$0] }, senders: { id in senders.first { $0.deviceID == id } },
                                 clock: FixedClock(v.now))
    }

    @Test func everyEnvelopeVectorGivesItsExpectedResult() throws {
        let vectors = try Self.envelopeVectors()
        #expect(vectors.count >= 25)
        var classes = Set<String>()
        for v in vectors {
            var opened: OpenedEnvelope?
            let got = outcome { opened = try Self.open(v) }
            #expect(got == v.expect, "\(v.name): expected \(v.expect), got \(got)")
            classes.insert(got)
            if let opened, v.expect == "success" {
                #expect(String(decoding: opened.referralBytes, as: UTF8.self) == v.referral, "\(v.name): referral bytes")
                #expect(opened.signedRecipients.map(\.hex) == v.signedRecipients)
                #expect(opened.sender.deviceID.hex == v.senderDeviceId)
                let referral = try opened.referral()
                #expect(try referral.encoded() == opened.referralBytes, "\(v.name): canonical JSON round trip")
            }
        }
        // Every opening check of SPEC.md has at least one vector.
        #expect(classes == ["success", "malformedHeader", "noStanzaForDevice", "prekeyUnavailable", "unwrapFailed",
                            "bodyDecryptionFailed", "malformedPayload", "unknownSender", "badSignature", "headerMismatch",
                            "notASignedRecipient", "expired"])
        print("Protocol vectors: \(vectors.count) envelope vectors opened, \(classes.count) outcome classes")
    }

    @Test func successVectorsReencodeToTheSameHeader() throws {
        for v in try Self.envelopeVectors() where v.expect == "success" {
            let bytes = Hex.decode(v.envelope)!
            let sealed = try SealedEnvelope(bytes: bytes)
            let h = sealed.header
            let rebuilt = try EnvelopeHeader(envelopeID: h.envelopeID, expiresAt: h.expiresAt, consent: h.consent, sizeClass: h.sizeClass,
                                             recipientOrganisations: h.recipientOrganisations.reversed(), stanzas: h.stanzas.reversed())
            #expect(rebuilt.encoded == Array(bytes[0..<h.encoded.count]), "\(v.name): header round trip")
            #expect(bytes.count == h.encoded.count + h.paddedLength + 16)
        }
    }

    @Test func identityVector() throws {
        let v = try JSONDecoder().decode(IdentityVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("identity.json")))
        #expect(v.devices.count == 4)
        for d in v.devices {
            let identity = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: Hex.decode(d.ed25519Seed)!))
            #expect(Hex.encode(identity.publicIdentity.signingKey.bytes) == d.ed25519Public)
            #expect(identity.deviceID.hex == d.deviceId)
            #expect(identity.publicIdentity.fingerprint.digits == d.fingerprint)
            let prekey = try X25519PrivateKey(scalar: Hex.decode(d.x25519Secret)!)
            #expect(Hex.encode(prekey.publicKey.bytes) == d.x25519Public)
            #expect(PrekeyID(for: prekey.publicKey).description == d.prekeyId)
            let signed = try SignedPrekey(verifying: Hex.decode(d.signedPrekey)!, signer: identity.publicIdentity)
            #expect(signed.createdAt == d.prekeyCreatedAt && signed.notAfter == d.prekeyNotAfter)
            let resigned = SignedPrekey.sign(publicKey: prekey.publicKey, identity: identity, createdAt: d.prekeyCreatedAt, notAfter: d.prekeyNotAfter)
            #expect(Hex.encode(resigned.encoded) == d.signedPrekey)
        }
        #expect(v.refusedPrekeys.count == X25519PublicKey.lowOrderPoints.count + 1)
        for r in v.refusedPrekeys {
            let signer = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: Hex.decode(v.devices[r.signer].ed25519Seed)!)).publicIdentity
            #expect(r.expect == "lowOrderKey")
            #expect(throws: PrekeyError.lowOrderKey, "\(r.label)") { try SignedPrekey(verifying: Hex.decode(r.signedPrekey)!, signer: signer) }
        }
        #expect(v.safetyNumbers.count == 12)
        for pair in v.safetyNumbers {
            let a = try Ed25519PublicKey(bytes: Hex.decode(v.devices[pair.first].ed25519Public)!)
            let b = try Ed25519PublicKey(bytes: Hex.decode(v.devices[pair.second].ed25519Public)!)
            #expect(Fingerprint.safetyNumber(a, b) == pair.number)
            let fa = v.devices[pair.first].fingerprint, fb = v.devices[pair.second].fingerprint
            #expect(pair.number == min(fa, fb) + max(fa, fb))
        }
    }
}

@Suite("Consent vectors")
struct ConsentVectorTests {
    @Test func consentObjectsVerifyAndReSignByteForByte() throws {
        let v = try JSONDecoder().decode(ConsentVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("consent.json")))
        let ids = try JSONDecoder().decode(IdentityVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("identity.json")))
        let signer = DeviceIdentity(privateKey: try Ed25519PrivateKey(seed: Hex.decode(ids.devices[0].ed25519Seed)!))
        #expect(signer.deviceID.hex == v.signerDeviceId)
        func object(_ s: ConsentVector.Signed) -> SignedObject { SignedObject(bytes: Array(s.bytes.utf8), signature: Hex.decode(s.signature)!) }
        let record = try ConsentRecord.verify(object(v.record), signer: signer.publicIdentity)
        #expect(record.subjectPseudonym == ConsentRecord.pseudonym(caseID: "CASE-2027-0042", key: Array(repeating: 0x42, count: 32)))
        #expect(try record.signed(by: signer) == object(v.record))
        let publicPart = try ConsentPublic.verify(object(v.publicPart), signer: signer.publicIdentity)
        #expect(publicPart == record.publicPart)
        #expect(record.publicPart.signed(by: signer) == object(v.publicPart))
        #expect(!v.publicPart.bytes.contains(record.subjectPseudonym), "the public part carries no pseudonym")
        let withdrawal = try ConsentWithdrawal.verify(object(v.withdrawal), signer: signer.publicIdentity)
        #expect(withdrawal.consentId == record.consentId)
        let declaration = try ChildProtectionDeclaration.verify(object(v.declaration), signer: signer.publicIdentity)
        #expect(declaration.minorStatus == .allegedMinor && declaration.version == 1)
        #expect(try declaration.signed(by: signer) == object(v.declaration))
        let v2 = try ChildProtectionDeclaration.verify(object(v.declarationV2), signer: signer.publicIdentity)
        #expect(v2.version == 2 && v2.subjectPseudonym == record.subjectPseudonym && v2.maxReports == 3
                && v2.validUntil == v2.declaredAt + ChildProtectionDeclaration.maximumValidity)
        #expect(try v2.signed(by: signer) == object(v.declarationV2))
        // A forged signature is refused.
        var forged = object(v.publicPart)
        forged = SignedObject(bytes: forged.bytes, signature: DeviceIdentity.generate().sign(.consentPublic, forged.bytes))
        #expect(throws: ConsentError.badSignature("consent")) { try ConsentPublic.verify(forged, signer: signer.publicIdentity) }
    }
}

@Suite("Audit vectors")
struct AuditVectorTests {
    @Test func entriesLeavesRootAndCheckpoint() throws {
        let v = try JSONDecoder().decode(AuditVector.self, from: Data(contentsOf: protocolVectors.appendingPathComponent("audit.json")))
        #expect(v.entries.count == 7)
        for (entry, leaf) in zip(v.entries, v.leafHashes) {
            let bytes = Array(entry.utf8)
            #expect(try AuditEvent.decode(bytes).encoded == bytes, "canonical")
            #expect(Hex.encode(SHA256.hash([0x00] + bytes)) == leaf)
        }
        #expect(Hex.encode(try MerkleTree.root(leafHashes: v.leafHashes.map { Hex.decode($0)! })) == v.root)
        let key = try Ed25519PublicKey(bytes: Hex.decode(v.logPublicKey)!)
        let checkpoint = try Checkpoint.verify(note: v.checkpoint, verifier: try CheckpointVerifierKey(parsing: v.verifierKey))
        #expect(checkpoint.size == 7 && Hex.encode(checkpoint.root) == v.root)
        #expect(try CheckpointVerifierKey(name: checkpoint.origin, publicKey: key).encoded == v.verifierKey)
        // A non-canonical entry (whitespace) is refused.
        #expect(throws: AuditEventError.self) { try AuditEvent.decode(Array((" " + v.entries[0]).utf8)) }
    }
}
