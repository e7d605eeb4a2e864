import Foundation
import RelaisCore
import RelaisCrypto

/// Builds every file of `Protocol/vectors/` from a seeded RNG and a fixed clock, so the output is
/// the same on every run and machine. The tests regenerate and compare byte for byte.
public enum VectorGenerator {
    /// 2027-01-01T00:00:00Z.
    public static let sealTime: UInt64 = 1_798_761_600
    public static let day: UInt64 = 86_400
    static let seed = SHA256.hash(Array("relais/v1 test vectors".utf8))

    struct Actor {
        let label: String
        let seed: [UInt8]
        let identity: DeviceIdentity
        let prekeyScalar: [UInt8]
        let prekeyPrivate: X25519PrivateKey
        let prekey: SignedPrekey
        let organisation: OrganisationID

        init(label: String, organisation: OrganisationID, rng: DeterministicRandom) {
            self.label = label
            self.organisation = organisation
            seed = rng.bytes(32)
            identity = DeviceIdentity(privateKey: try! Ed25519PrivateKey(seed: seed))
            prekeyScalar = rng.bytes(32)
            prekeyPrivate = try! X25519PrivateKey(scalar: prekeyScalar)
            prekey = SignedPrekey.sign(publicKey: prekeyPrivate.publicKey, identity: identity,
                                       createdAt: sealTime - day, notAfter: sealTime + 6 * day)
        }

        var recipient: RecipientDevice { RecipientDevice(organisationID: organisation, prekey: prekey) }
        var sender: EnvelopeVector.Sender {
            .init(deviceId: identity.deviceID.hex, ed25519Public: Hex.encode(identity.publicIdentity.signingKey.bytes))
        }
        func opener(withPrekey: Bool = true) -> EnvelopeVector.Opener {
            .init(deviceId: identity.deviceID.hex,
                  prekeys: withPrekey ? [.init(prekeyId: prekey.prekeyID.description, x25519Secret: Hex.encode(prekeyScalar))] : [])
        }
    }

    public static func generate() -> [VectorFile] {
        let rng = DeterministicRandom(seed: seed)
        let clock = FixedClock(sealTime)
        let orgA = OrganisationID.random(using: rng)   // the sender's social service
        let orgB = OrganisationID.random(using: rng)   // a specialised association
        let orgC = OrganisationID.random(using: rng)   // child protection (CRIP)
        let s = Actor(label: "sender (social service)", organisation: orgA, rng: rng)
        let r1 = Actor(label: "recipient 1 (association)", organisation: orgB, rng: rng)
        let r2 = Actor(label: "recipient 2 (association, second device)", organisation: orgB, rng: rng)
        let r3 = Actor(label: "recipient 3 (child protection)", organisation: orgC, rng: rng)
        let mallory = Actor(label: "forger", organisation: orgA, rng: rng)
        let consent = ConsentReference(kind: .consent, id: ConsentID.random(using: rng))
        let declaration = ConsentReference(kind: .childProtectionDeclaration, id: ConsentID.random(using: rng))
        let expiry = sealTime + 14 * day
        let senders = [s.sender, r1.sender, r2.sender, r3.sender]

        var files: [VectorFile] = []
        files.append(identityFile([s, r1, r2, r3]))
        files.append(consentFile(signer: s, recipient: orgB, consentID: consent.id, declarationID: declaration.id))
        files.append(exitProgrammeConsentFile(signer: s, recipient: orgB))
        files.append(auditFile(sender: s, recipient: orgB, consent: consent))
        // Its own random stream: adding it left every other file unchanged.
        files.append(requestFile(device: s, rng: DeterministicRandom(seed: SHA256.hash(Array("relais/v1 request vectors".utf8)))))
        let invites = inviteFile(rng: DeterministicRandom(seed: SHA256.hash(Array("relais/v1 invite vectors".utf8))))
        files.append(invites)
        // enrolment.json redeems the very invite pinned in invite.json.
        files.append(enrolmentFile(invite: try! JSONDecoder().decode(InviteVector.self, from: Data(invites.contents)).invite))
        files.append(verifierKeyFile())
        files.append(cosignatureFile())
        files.append(outsideReportFile(signer: s))

        func vector(_ name: String, _ description: String, expect: String, now: UInt64 = sealTime,
                    opener: EnvelopeVector.Opener, senders known: [EnvelopeVector.Sender] = senders,
                    envelope: [UInt8], referral: [UInt8]? = nil, signed: [DeviceID]? = nil, from: Actor? = nil) {
            let v = EnvelopeVector(name: name, description: description, expect: expect, now: now, opener: opener,
                                   senders: known, envelope: Hex.encode(envelope),
                                   referral: referral.map { String(decoding: $0, as: UTF8.self) },
                                   signedRecipients: signed?.map(\.hex), senderDeviceId: from?.identity.deviceID.hex)
            files.append(VectorFile(name: "envelope/\(name).json", contents: json(v)))
        }
        func seal(_ referral: [UInt8], _ from: Actor, _ to: [Actor], _ ref: ConsentReference = consent,
                  expiresAt: UInt64 = expiry) -> SealedEnvelope {
            try! Envelope.seal(referral: referral, from: from.identity, to: to.map(\.recipient), consent: ref,
                               expiresAt: expiresAt, clock: clock, rng: rng)
        }

        // Successful opens.
        let orientation = sampleOrientation(consent: consent)
        let one = seal(orientation, s, [r1])
        vector("success-one-recipient", "An orientation from a social service to one association device.",
               expect: "success", opener: r1.opener(), envelope: one.bytes, referral: orientation, signed: [r1.identity.deviceID], from: s)
        let three = seal(orientation, s, [r1, r2, r3])
        vector("success-three-recipients", "One envelope for three devices in two organisations, opened by the third.",
               expect: "success", opener: r3.opener(), envelope: three.bytes, referral: orientation,
               signed: [r1, r2, r3].map(\.identity.deviceID).sorted(), from: s)
        let report = sampleChildProtectionReport(declaration: declaration)
        let cp = seal(report, s, [r3], declaration)
        vector("success-child-protection-report", "A child-protection report resting on a legal-basis declaration.",
               expect: "success", opener: r3.opener(), envelope: cp.bytes, referral: report, signed: [r3.identity.deviceID], from: s)
        let big = sampleOrientation(consent: consent, freeText: String(repeating: "Suivi hebdomadaire. ", count: 120))
        let bigEnvelope = seal(big, s, [r1])
        vector("success-size-class-2", "A longer referral padded to the 4096-byte size class.",
               expect: "success", opener: r1.opener(), envelope: bigEnvelope.bytes, referral: big, signed: [r1.identity.deviceID], from: s)

        // 1. Malformed headers.
        var b = one.bytes
        b[0] = UInt8(ascii: "X")
        vector("malformed-bad-magic", "The first byte of the magic is changed.", expect: "malformedHeader", opener: r1.opener(), envelope: b)
        b = one.bytes
        b[4] = 2
        vector("malformed-unsupported-version", "Version byte 2.", expect: "malformedHeader", opener: r1.opener(), envelope: b)
        vector("malformed-truncated-header", "The envelope is cut inside the first stanza.", expect: "malformedHeader",
               opener: r1.opener(), envelope: Array(one.bytes[0..<80]))
        b = one.bytes
        b[4 + 1 + 16 + 8] = 4
        vector("malformed-unknown-consent-kind", "consent_kind 4.", expect: "malformedHeader", opener: r1.opener(), envelope: b)
        b = one.bytes
        b[4 + 1 + 16 + 8 + 1 + 16] = 13
        vector("malformed-size-class", "size_class 13, above the 4 MiB maximum.", expect: "malformedHeader", opener: r1.opener(), envelope: b)
        let orgCountOffset = 4 + 1 + 16 + 8 + 1 + 16 + 1
        b = one.bytes
        b[orgCountOffset] = 0
        vector("malformed-no-organisation", "org_count 0.", expect: "malformedHeader", opener: r1.opener(), envelope: b)
        // Three stanzas: swap the first two so the device ids are no longer increasing.
        b = three.bytes
        func stanzaOffset(_ e: SealedEnvelope) -> Int { orgCountOffset + 1 + 16 * e.header.recipientOrganisations.count + 1 }
        let firstStanza = stanzaOffset(three)
        let sl = EnvelopeHeader.stanzaByteCount
        let st1 = Array(b[firstStanza..<firstStanza + sl]), st2 = Array(b[firstStanza + sl..<firstStanza + 2 * sl])
        b.replaceSubrange(firstStanza..<firstStanza + 2 * sl, with: st2 + st1)
        vector("malformed-unsorted-stanzas", "Two stanzas out of order (canonical order is by device id).",
               expect: "malformedHeader", opener: r3.opener(), envelope: b)
        b = three.bytes
        b.replaceSubrange(firstStanza + sl..<firstStanza + 2 * sl, with: st1)
        vector("malformed-duplicate-stanza", "The same device twice.", expect: "malformedHeader", opener: r3.opener(), envelope: b)

        // 2–3. Stanza and unwrap.
        vector("wrong-recipient", "Sealed to recipient 1, opened by recipient 2 of the same organisation.",
               expect: "noStanzaForDevice", opener: r2.opener(), envelope: one.bytes)
        vector("prekey-erased", "The recipient no longer holds the prekey the envelope was sealed to.",
               expect: "prekeyUnavailable", opener: r1.opener(withPrekey: false), envelope: one.bytes)
        b = one.bytes
        b[stanzaOffset(one) + 16 + 8 + 40] ^= 0x01
        vector("unwrap-corrupted-stanza", "One bit of the wrapped key is flipped.", expect: "unwrapFailed",
               opener: r1.opener(), envelope: b)

        // 4. Body.
        vector("truncated-tag", "The last byte of the authentication tag is missing.", expect: "bodyDecryptionFailed",
               opener: r1.opener(), envelope: Array(one.bytes.dropLast()))
        b = one.bytes
        b.replaceSubrange(21..<29, with: (expiry + 30 * day).bigEndianBytes)
        vector("header-modified-expiry", "A relay extends expires_at in the cleartext header.", expect: "bodyDecryptionFailed",
               opener: r1.opener(), envelope: b)
        let other = seal(sampleOrientation(consent: consent, freeText: "Autre situation."), s, [r1])
        vector("header-swapped", "The header of another envelope to the same device, on this body.", expect: "bodyDecryptionFailed",
               opener: r1.opener(), envelope: other.header.encoded + Array(one.bytes[one.header.encoded.count...]))
        b = one.bytes
        b[b.count - 30] ^= 0x80
        vector("body-bit-flipped", "One bit of the ciphertext is flipped.", expect: "bodyDecryptionFailed", opener: r1.opener(), envelope: b)

        // 5–8. Crafted with the building blocks: valid encryption around bad content.
        func craft(to: [Actor], consentRef: ConsentReference = consent, expiresAt: UInt64 = expiry, envelopeID: EnvelopeID? = nil,
                   build: (EnvelopeHeader) -> [UInt8]) -> [UInt8] {
            var kb = rng.bytes(32)
            let k = SecretBytes(kb)
            wipe(&kb)
            let stanzas = to.sorted { $0.identity.deviceID < $1.identity.deviceID }.map { a in
                EnvelopeHeader.Stanza(deviceID: a.identity.deviceID, prekeyID: a.prekey.prekeyID,
                                      wrappedKey: try! SealedBox.seal(k.bytes, to: a.prekey.publicKey, using: rng))
            }
            let header = try! EnvelopeHeader(envelopeID: envelopeID ?? .random(using: rng), expiresAt: expiresAt, consent: consentRef, sizeClass: 0,
                                             recipientOrganisations: Array(Set(to.map(\.organisation))), stanzas: stanzas)
            return Envelope.assemble(header: header, contentKey: k, plaintext: build(header)).bytes
        }
        func signedBody(_ h: EnvelopeHeader, by signer: Actor, claiming: Actor, recipients: [Actor], headerHash: [UInt8]? = nil,
                        envelopeID: EnvelopeID? = nil) -> (signed: [UInt8], signature: [UInt8]) {
            let signed = SignedReferral(envelopeID: envelopeID ?? h.envelopeID, headerHash: headerHash ?? h.hash,
                                        senderDeviceID: claiming.identity.deviceID,
                                        recipients: recipients.map(\.identity.deviceID), referral: orientation).signedBytes
            return (signed, signer.identity.sign(.signedReferral, signed))
        }
        b = craft(to: [r1]) { h in
            let (signed, sig) = signedBody(h, by: s, claiming: s, recipients: [r1])
            var p = SignedReferral.plaintext(signed: signed, signature: sig, paddedLength: h.paddedLength)
            p[p.count - 1] = 1
            return p
        }
        vector("payload-nonzero-padding", "The padding after the signature is not all zeros.", expect: "malformedPayload",
               opener: r1.opener(), envelope: b)
        b = craft(to: [r1]) { h in
            let (signed, _) = signedBody(h, by: s, claiming: s, recipients: [r1])
            let extended = signed + [0]
            return SignedReferral.plaintext(signed: extended, signature: s.identity.sign(.signedReferral, extended),
                                            paddedLength: h.paddedLength)
        }
        vector("payload-trailing-byte", "The sender's valid signature covers signed bytes with one byte after the referral: not canonical.",
               expect: "malformedPayload", opener: r1.opener(), envelope: b)
        b = craft(to: [r1]) { h in
            let (signed, sig) = signedBody(h, by: mallory, claiming: s, recipients: [r1])
            return SignedReferral.plaintext(signed: signed, signature: sig, paddedLength: h.paddedLength)
        }
        vector("forged-signature", "Signed by another key while claiming the sender's device id.", expect: "badSignature",
               opener: r1.opener(), envelope: b)
        vector("unknown-sender", "A genuine envelope whose sender the opener has never verified.", expect: "unknownSender",
               opener: r1.opener(), senders: [r1.sender, r2.sender, r3.sender], envelope: one.bytes)
        b = craft(to: [r2]) { h in
            // Recipient 1 re-encrypts what the sender signed for recipient 1's envelope, addressed to recipient 2.
            let (signed, sig) = signedBody(one.header, by: s, claiming: s, recipients: [r1], headerHash: one.header.hash,
                                           envelopeID: one.header.envelopeID)
            return SignedReferral.plaintext(signed: signed, signature: sig, paddedLength: h.paddedLength)
        }
        vector("rewrapped-by-recipient", "A recipient re-wraps the sender's signed referral in a new envelope for another device.",
               expect: "headerMismatch", opener: r2.opener(), envelope: b)
        b = craft(to: [r2], envelopeID: one.header.envelopeID) { h in
            // The same, keeping the envelope id: only the header hash tells the headers apart.
            let (signed, sig) = signedBody(one.header, by: s, claiming: s, recipients: [r1], headerHash: one.header.hash,
                                           envelopeID: one.header.envelopeID)
            return SignedReferral.plaintext(signed: signed, signature: sig, paddedLength: h.paddedLength)
        }
        vector("rewrapped-same-envelope-id", "As rewrapped-by-recipient, keeping the envelope id: caught by the header hash.",
               expect: "headerMismatch", opener: r2.opener(), envelope: b)
        b = craft(to: [r1, r2]) { h in
            let (signed, sig) = signedBody(h, by: s, claiming: s, recipients: [r1])
            return SignedReferral.plaintext(signed: signed, signature: sig, paddedLength: h.paddedLength)
        }
        vector("not-a-signed-recipient", "Stanzas for two devices, but the sender signed only the first; opened by the second.",
               expect: "notASignedRecipient", opener: r2.opener(), envelope: b)
        vector("expired", "Opened at the very second of expiry.", expect: "expired", now: expiry, opener: r1.opener(), envelope: one.bytes)
        vector("success-last-second", "Opened one second before expiry.", expect: "success", now: expiry - 1, opener: r1.opener(),
               envelope: one.bytes, referral: orientation, signed: [r1.identity.deviceID], from: s)
        files += commitmentFiles(sender: s, first: r1, second: r2, consent: consent, expiresAt: expiry, senders: senders)
        files.append(exitProgrammeFile(sender: s, to: r1, expiresAt: expiry, senders: senders))
        files.append(organisationKeyFile())
        files.append(organisationFile())
        files += referralV2Files(sender: s, association: r1, childProtection: r3, expiresAt: expiry, senders: senders)
        files += consentCarriageFiles(sender: s, association: r1, expiresAt: expiry, senders: senders)
        files += attachmentFiles(sender: s, association: r1, expiresAt: expiry, senders: senders)
        return files
    }

    /// The consent record, its public part, a withdrawal and a child-protection declaration, each
    /// as exact signed bytes with the signature of the sender's device (identity.json, device 0).
    static func consentFile(signer: Actor, recipient: OrganisationID, consentID: ConsentID, declarationID: ConsentID) -> VectorFile {
        let record = ConsentRecord(consentId: consentID,
                                   subjectPseudonym: ConsentRecord.pseudonym(caseID: "CASE-2027-0042", key: Array(repeating: 0x42, count: 32)),
                                   recordedBy: signer.identity.deviceID, organisationId: signer.organisation, method: .oral, language: "ro",
                                   interpreter: true, purposes: [.emergencyShelter, .legalHelp, .health], recipientOrganisations: [recipient],
                                   recipientCategories: [.accommodation], dataCategories: [.identity, .situation, .safety],
                                   grantedAt: sealTime - day, validUntil: sealTime - day + ConsentRecord.defaultValidity)
        let withdrawal = ConsentWithdrawal(consentId: consentID, organisationId: signer.organisation, withdrawnBy: signer.identity.deviceID,
                                           withdrawnAt: sealTime + 20 * day)
        let declaration = ChildProtectionDeclaration(declarationId: declarationID, organisationId: signer.organisation,
                                                     declaredBy: signer.identity.deviceID, article: .casfL226_2_1, minorStatus: .allegedMinor,
                                                     declaredAt: sealTime)
        let declarationV2 = ChildProtectionDeclaration(declarationId: ConsentID(bytes: Array(repeating: 0xD2, count: 16))!, organisationId: signer.organisation,
                                                       declaredBy: signer.identity.deviceID, article: .casfL226_2_2, minorStatus: .minor,
                                                       subjectPseudonym: record.subjectPseudonym, declaredAt: sealTime,
                                                       validUntil: sealTime + ChildProtectionDeclaration.maximumValidity, maxReports: 3)
        func entry(_ o: SignedObject) -> ConsentVector.Signed { .init(bytes: String(decoding: o.bytes, as: UTF8.self), signature: Hex.encode(o.signature)) }
        let v = ConsentVector(description: "Consent objects of SPEC.md, signed by device 0 of identity.json; pseudonym key 0x42 × 32, case id CASE-2027-0042.",
                              signerDeviceId: signer.identity.deviceID.hex,
                              record: entry(try! record.signed(by: signer.identity)), publicPart: entry(record.publicPart.signed(by: signer.identity)),
                              withdrawal: entry(withdrawal.signed(by: signer.identity)),
                              declaration: entry(try! declaration.signed(by: signer.identity)),
                              declarationV2: entry(try! declarationV2.signed(by: signer.identity)))
        return VectorFile(name: "consent.json", contents: json(v))
    }

    /// Audit-log entries, their RFC 9162 leaf hashes, the tree root, and the checkpoint signed by a
    /// log key whose Ed25519 seed is SHA-256("relais/v1 test log key").
    static func auditFile(sender: Actor, recipient: OrganisationID, consent: ConsentReference) -> VectorFile {
        var issued = AuditEvent(kind: .inviteIssued, time: sealTime - day)
        issued.invite = InviteID(bytes: Array(repeating: 0x1A, count: 16))
        issued.actor = DeviceID(bytes: Array(repeating: 0xAD, count: 16))
        issued.role = .member
        issued.organisation = sender.organisation
        issued.expiresAt = sealTime + 6 * day
        var enrolled = AuditEvent(kind: .deviceEnrolled, time: sealTime - day + 600)
        enrolled.device = sender.identity.deviceID
        enrolled.invite = issued.invite
        enrolled.organisation = sender.organisation
        enrolled.role = .member
        enrolled.actor = issued.actor
        enrolled.publicKey = Hex.encode(sender.identity.publicIdentity.signingKey.bytes)
        var submitted = AuditEvent(kind: .envelopeSubmitted, time: sealTime)
        submitted.envelope = EnvelopeID(bytes: Array(repeating: 0xE1, count: 16))
        submitted.actor = sender.identity.deviceID
        submitted.organisation = sender.organisation
        submitted.recipientOrganisations = [recipient]
        submitted.consentKind = consent.kind.rawValue
        submitted.consent = consent.id
        submitted.sizeClass = 0
        submitted.expiresAt = sealTime + 14 * day
        var delivered = AuditEvent(kind: .envelopeDelivered, time: sealTime + 30)
        delivered.envelope = submitted.envelope
        delivered.device = DeviceID(bytes: Array(repeating: 0xD2, count: 16))
        var acknowledged = AuditEvent(kind: .envelopeAcknowledged, time: sealTime + 60)
        acknowledged.envelope = submitted.envelope
        acknowledged.device = DeviceID(bytes: Array(repeating: 0xD2, count: 16))
        var deleted = AuditEvent(kind: .envelopeDeleted, time: sealTime + 60)
        deleted.envelope = submitted.envelope
        var expired = AuditEvent(kind: .envelopeExpired, time: sealTime + 15 * day)
        expired.envelope = EnvelopeID(bytes: Array(repeating: 0xE2, count: 16))
        let events = [issued, enrolled, submitted, delivered, acknowledged, deleted, expired]
        let entries = events.map(\.encoded)
        let leaves = entries.map(MerkleHashing.leafHash)
        let root = try! MerkleTree.root(leafHashes: leaves)
        let key = try! Ed25519PrivateKey(seed: SHA256.hash(Array("relais/v1 test log key".utf8)))
        let origin = "relais.log/test"
        let note = try! Checkpoint(origin: origin, size: UInt64(entries.count), root: root).signedNote(name: origin, key: key)
        let v = AuditVector(description: "Audit entries (canonical JSON), their leaf hashes SHA-256(0x00 ‖ entry), the root, and the checkpoint note.",
                            entries: entries.map { String(decoding: $0, as: UTF8.self) }, leafHashes: leaves.map(Hex.encode), root: Hex.encode(root),
                            logPublicKey: Hex.encode(key.publicKey.bytes),
                            verifierKey: try! CheckpointVerifierKey(name: origin, publicKey: key.publicKey).encoded, checkpoint: note)
        return VectorFile(name: "audit.json", contents: json(v))
    }

    /// Invite codes and their trust anchors (SPEC.md, "Invites and enrolment"): the operator invite
    /// (no operator key yet) and an invite issued once the operator enrolled.
    static func inviteFile(rng: DeterministicRandom) -> VectorFile {
        let operatorSeed = rng.bytes(32)
        let operatorKey = try! Ed25519PrivateKey(seed: operatorSeed).publicKey
        let logKey = try! Ed25519PrivateKey(seed: SHA256.hash(Array("relais/v1 test log key".utf8))).publicKey
        let verifierKey = try! CheckpointVerifierKey(name: "relais.log/test", publicKey: logKey).encoded
        func invite(_ anchorOperator: Ed25519PublicKey?) -> InviteVector.Invite {
            let anchor = InviteAnchor(operatorKey: anchorOperator, logVerifierKey: verifierKey)
            let code = InviteCode(id: .random(using: rng), secret: rng.bytes(32), anchor: anchor)
            let input = domainSeparated(.inviteAnchor, (anchorOperator.map { [0x01] + $0.bytes } ?? [0x00]) + Array(verifierKey.utf8))
            return .init(operatorPublicKey: anchorOperator.map { Hex.encode($0.bytes) }, anchorInput: Hex.encode(input), anchor: anchor.hex,
                         code: code.description, inviteId: code.id.hex, secret: Hex.encode(code.secret), secretHash: Hex.encode(code.secretHash))
        }
        let v = InviteVector(description: "Invite codes ri2_<id>_<secret>_<anchor>: the anchor is the first 16 bytes of SHA-256 of its input; the relay stores only the secret's hash.",
                             logVerifierKey: verifierKey, operatorInvite: invite(nil), invite: invite(operatorKey))
        return VectorFile(name: "invite.json", contents: json(v))
    }

    static func identityFile(_ actors: [Actor]) -> VectorFile {
        let devices = actors.map { a in
            IdentityVector.Device(label: a.label, ed25519Seed: Hex.encode(a.seed),
                                  ed25519Public: Hex.encode(a.identity.publicIdentity.signingKey.bytes),
                                  deviceId: a.identity.deviceID.hex, fingerprint: a.identity.publicIdentity.fingerprint.digits,
                                  x25519Secret: Hex.encode(a.prekeyScalar), x25519Public: Hex.encode(a.prekey.publicKey.bytes),
                                  prekeyId: a.prekey.prekeyID.description, prekeyCreatedAt: a.prekey.createdAt,
                                  prekeyNotAfter: a.prekey.notAfter, signedPrekey: Hex.encode(a.prekey.encoded))
        }
        var pairs: [IdentityVector.SafetyNumber] = []
        for a in 0..<actors.count {
            for b in 0..<actors.count where a != b {
                pairs.append(.init(first: a, second: b,
                                   number: Fingerprint.safetyNumber(actors[a].identity.publicIdentity.signingKey,
                                                                    actors[b].identity.publicIdentity.signingKey)))
            }
        }
        // Validly signed prekeys on each low-order point, and one with bit 255 set: SignedPrekey.sign
        // refuses them, so the bytes are laid out here (SPEC.md, "Signed prekeys").
        let signer = actors[0]
        let lowOrder = X25519PublicKey.lowOrderPoints + [Array(X25519PublicKey.lowOrderPoints[2].dropLast()) + [0x80]]
        let refused = lowOrder.enumerated().map { i, point in
            let body = SignedPrekey.body(device: signer.identity.deviceID, publicKey: try! X25519PublicKey(bytes: point),
                                         createdAt: signer.prekey.createdAt, notAfter: signer.prekey.notAfter)
            return IdentityVector.RefusedPrekey(label: i < X25519PublicKey.lowOrderPoints.count ? "low-order-\(i)" : "low-order-2-bit-255-set",
                                                signer: 0, signedPrekey: Hex.encode(body + signer.identity.sign(.signedPrekey, body)),
                                                expect: "lowOrderKey")
        }
        let v = IdentityVector(description: "Device ids, fingerprints and signed prekeys derived from Ed25519 seeds and X25519 scalars.",
                               devices: devices, safetyNumbers: pairs, refusedPrekeys: refused)
        return VectorFile(name: "identity.json", contents: json(v))
    }

    static func requestFile(device a: Actor, rng: DeterministicRandom) -> VectorFile {
        let body = Array("{\"limit\":10}".utf8)
        func request(_ method: String, _ target: String, timestamp: UInt64) -> RequestVector.Request {
            .init(method: method, target: target, timestamp: timestamp, nonce: Hex.encode(rng.bytes(16)), body: Hex.encode(body),
                  bodySha256: Hex.encode(SHA256.hash(body)))
        }
        let r1 = request("POST", "/v1/envelopes/00112233445566778899aabbccddeeff/ack?x=1", timestamp: sealTime)
        let canonical = RequestSignature.canonical(method: r1.method, target: r1.target, timestamp: r1.timestamp, nonce: r1.nonce,
                                                   device: a.identity.deviceID, bodyDigest: SHA256.hash(body))
        let signedMessage = domainSeparated(.request, canonical)
        let signature = a.identity.sign(.request, canonical)

        let deviceScalar = rng.bytes(32), relayScalar = rng.bytes(32)
        let deviceEphemeral = try! X25519PrivateKey(scalar: deviceScalar), relayEphemeral = try! X25519PrivateKey(scalar: relayScalar)
        let sessionID = SessionID.random(using: rng)
        let shared = try! deviceEphemeral.sharedSecret(with: relayEphemeral.publicKey)
        let key = try! RequestSession.deriveKey(sharedSecret: shared, sessionID: sessionID, device: a.identity.deviceID,
                                                devicePublicKey: deviceEphemeral.publicKey, relayPublicKey: relayEphemeral.publicKey)
        let r2 = request("POST", "/v1/envelopes", timestamp: sealTime + 60)
        let macMessage = RequestSession.macMessage(method: r2.method, target: r2.target, timestamp: r2.timestamp, nonce: r2.nonce,
                                                   device: a.identity.deviceID, bodyDigest: SHA256.hash(body))
        let mac = RequestSession.mac(key: key, method: r2.method, target: r2.target, timestamp: r2.timestamp, nonce: r2.nonce,
                                     device: a.identity.deviceID, bodyDigest: SHA256.hash(body))
        let v = RequestVector(
            description: "A request signed by a device key, then a request session: X25519 of two ephemeral keys, HKDF-SHA-256 to the session key, HMAC-SHA-256 of a request.",
            deviceEd25519Seed: Hex.encode(a.seed), deviceId: a.identity.deviceID.hex,
            signed: .init(request: r1, signedMessage: Hex.encode(signedMessage), signature: Base64.encode(signature)),
            session: .init(deviceEphemeralSecret: Hex.encode(deviceScalar), deviceEphemeralPublic: Hex.encode(deviceEphemeral.publicKey.bytes),
                           relayEphemeralSecret: Hex.encode(relayScalar), relayEphemeralPublic: Hex.encode(relayEphemeral.publicKey.bytes),
                           sessionId: sessionID.hex, sharedSecret: Hex.encode(shared.bytes), sessionKey: Hex.encode(key.bytes),
                           request: r2, macMessage: Hex.encode(macMessage), mac: Base64.encode(mac)))
        return VectorFile(name: "request.json", contents: json(v))
    }

    static func sampleOrientation(consent: ConsentReference, freeText: String? = nil) -> [UInt8] {
        try! Referral(kind: .orientation, needs: [.emergencyShelter, .legalHelp, .health],
                      person: .init(casePseudonym: "CASE-2027-0042", firstName: "Ana", ageBand: .from18to24, minorStatus: .adult,
                                    languages: ["ro", "fr"], interpreterNeeded: true, administrativeStatus: .frenchOrEU),
                      safety: .init(dangerLevel: 2, safeContactInstructions: "Appeler le mardi entre 14 h et 16 h ; ne pas laisser de message.",
                                    safeToCall: true, codeWord: "tilleul"),
                      freeText: freeText ?? "Personne rencontrée lors d'une maraude ; souhaite un hébergement éloigné et un accompagnement juridique.",
                      consent: consent, sender: .init(name: "Camille Exemple", role: "assistante sociale", phone: "+33 1 00 00 00 00"),
                      createdAt: sealTime).encoded()
    }

    static func sampleChildProtectionReport(declaration: ConsentReference) -> [UInt8] {
        try! Referral(kind: .childProtectionReport, needs: [.childProtection, .emergencyShelter],
                      person: .init(casePseudonym: "CASE-2027-0043", ageBand: .from15to17, minorStatus: .allegedMinor,
                                    languages: ["en"], interpreterNeeded: false, administrativeStatus: .unknown),
                      safety: .init(dangerLevel: 3, safeToCall: false),
                      freeText: "Mineure présumée, isolée, signalée au titre de la protection de l'enfance.",
                      consent: declaration, sender: .init(name: "Camille Exemple", role: "assistante sociale"),
                      createdAt: sealTime).encoded()
    }

    static func json<T: Encodable>(_ value: T) -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try! e.encode(value)) + [0x0a]
    }
}
