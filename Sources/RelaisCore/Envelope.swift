public import RelaisCrypto

/// One recipient device as the sender knows it from the verified directory.
public struct RecipientDevice: Sendable {
    public let organisationID: OrganisationID
    public let prekey: SignedPrekey
    public var deviceID: DeviceID { prekey.deviceID }
    public init(organisationID: OrganisationID, prekey: SignedPrekey) {
        self.organisationID = organisationID
        self.prekey = prekey
    }
}

/// A sealed envelope: the canonical header followed by the encrypted body (SPEC.md, "Envelope").
public struct SealedEnvelope: Sendable {
    public let header: EnvelopeHeader
    /// The complete envelope bytes: `header ‖ body`.
    public let bytes: [UInt8]

    /// Parses the header only (what the relay does); the body is opaque.
    public init(bytes: [UInt8]) throws(EnvelopeError) {
        header = try EnvelopeHeader.parse(bytes).header
        self.bytes = bytes
    }

    init(header: EnvelopeHeader, bytes: [UInt8]) {
        self.header = header
        self.bytes = bytes
    }
}

/// What `Envelope.open` returns once every check has passed.
public struct OpenedEnvelope: Sendable {
    public let header: EnvelopeHeader
    public let sender: DevicePublicIdentity
    /// The recipient devices the sender signed.
    public let signedRecipients: [DeviceID]
    /// The referral's exact bytes (UTF-8 JSON, schema v1), verified but not yet parsed.
    public let referralBytes: [UInt8]

    /// Parses and validates the referral; checks that it names the same consent as the header.
    public func referral() throws(EnvelopeError) -> Referral {
        let r: Referral
        do {
            r = try Referral.decode(referralBytes)
        } catch {
            throw .malformedReferral(error.description)
        }
        guard r.consent == header.consent else { throw .malformedReferral("consent differs from the envelope header's") }
        return r
    }
}

/// The plaintext inside the body (SPEC.md, "Signed referral").
public struct SignedReferral: Sendable {
    public static let version: UInt8 = 1
    public let envelopeID: EnvelopeID
    public let headerHash: [UInt8]
    public let senderDeviceID: DeviceID
    public let recipients: [DeviceID]
    public let referral: [UInt8]

    public init(envelopeID: EnvelopeID, headerHash: [UInt8], senderDeviceID: DeviceID, recipients: [DeviceID], referral: [UInt8]) {
        self.envelopeID = envelopeID
        self.headerHash = headerHash
        self.senderDeviceID = senderDeviceID
        self.recipients = recipients.sorted()
        self.referral = referral
    }

    /// `version ‖ envelope_id ‖ header_hash ‖ sender_device_id ‖ n(u8) ‖ n × device_id ‖ len(u32) ‖ referral`.
    public var signedBytes: [UInt8] {
        var w = ByteWriter()
        w.write(Self.version)
        w.write(envelopeID)
        w.write(headerHash)
        w.write(senderDeviceID)
        w.write(UInt8(recipients.count))
        recipients.forEach { w.write($0) }
        w.write(UInt32(referral.count))
        w.write(referral)
        return w.bytes
    }

    /// `len(u32) ‖ signed ‖ signature(64)`, zero-padded to `paddedLength`.
    public static func plaintext(signed: [UInt8], signature: [UInt8], paddedLength: Int) -> [UInt8] {
        var w = ByteWriter()
        w.write(UInt32(signed.count))
        w.write(signed)
        w.write(signature)
        return w.bytes + [UInt8](repeating: 0, count: max(0, paddedLength - w.bytes.count))
    }

    /// Splits a decrypted plaintext into the signed bytes and the signature; padding must be zeros.
    static func split(plaintext: [UInt8]) throws(EnvelopeError) -> (signed: [UInt8], signature: [UInt8]) {
        var r = ByteReader(plaintext)
        do {
            let n = Int(try r.readUInt32("signed_length"))
            let signed = try r.read(n, "signed referral")
            let signature = try r.read(Ed25519PrivateKey.signatureByteCount, "signature")
            guard r.readRest().allSatisfy({ $0 == 0 }) else { throw EnvelopeError.malformedPayload("padding is not all zeros") }
            return (signed, signature)
        } catch let e as EnvelopeError {
            throw e
        } catch {
            throw .malformedPayload(String(describing: error))
        }
    }

    /// Parses verified signed bytes. Strict: version, recipients strictly increasing, no trailing bytes.
    public init(parsing signed: [UInt8]) throws(EnvelopeError) {
        var r = ByteReader(signed)
        do {
            let v = try r.readByte("version")
            guard v == Self.version else { throw EnvelopeError.malformedPayload("unsupported signed referral version \(v)") }
            envelopeID = try r.readIdentifier("envelope_id")
            headerHash = try r.read(32, "header_hash")
            senderDeviceID = try r.readIdentifier("sender_device_id")
            let n = Int(try r.readByte("recipient_count"))
            guard n >= 1 else { throw EnvelopeError.malformedPayload("no signed recipient") }
            var list: [DeviceID] = []
            for _ in 0..<n {
                let d: DeviceID = try r.readIdentifier("recipient device_id")
                if let last = list.last, !(last < d) { throw EnvelopeError.malformedPayload("signed recipients not strictly increasing") }
                list.append(d)
            }
            recipients = list
            let len = Int(try r.readUInt32("referral_length"))
            referral = try r.read(len, "referral")
            try r.finish()
        } catch let e as EnvelopeError {
            throw e
        } catch {
            throw .malformedPayload(String(describing: error))
        }
    }

    /// Reads only the sender id, which must be known before the signature can be checked.
    static func senderDeviceID(in signed: [UInt8]) throws(EnvelopeError) -> DeviceID {
        let offset = 1 + 16 + 32
        guard signed.count >= offset + 16 else { throw .malformedPayload("signed referral too short") }
        return DeviceID(unchecked: Array(signed[offset..<offset + 16]))
    }
}

/// Sealing and opening (SPEC.md, "Sealing" and "Opening").
public enum Envelope {
    public static let contentKeyByteCount = 32
    /// The protocol's longest envelope lifetime (30 days); a relay may set a shorter one.
    public static let maximumLifetime: UInt64 = 30 * 86_400
    /// The body nonce is fixed: every body key is used exactly once (fresh content key, HKDF salted
    /// with the envelope id).
    public static let bodyNonce = [UInt8](repeating: 0, count: XChaCha20Poly1305.nonceByteCount)

    /// `HKDF-SHA256(IKM = K, salt = envelope_id, info = "relais/v1/body-key", L = 32)`.
    public static func bodyKey(contentKey: SecretBytes, envelopeID: EnvelopeID) -> SecretBytes {
        try! HKDFSHA256.deriveKey(inputKeyMaterial: contentKey, salt: envelopeID.bytes,
                                  info: Array(DomainSeparation.bodyKey.rawValue.utf8), length: 32)
    }

    /// Smallest size class whose padded length holds `plaintextLength` bytes, or nil above 4 MiB.
    public static func sizeClass(for plaintextLength: Int) -> UInt8? {
        (0...EnvelopeHeader.maxSizeClass).first { EnvelopeHeader.paddedLength(sizeClass: $0) >= plaintextLength }
    }

    /// Seals `referral` (UTF-8 JSON, schema v1) from `sender` to every device in `recipients`.
    ///
    /// - Parameters:
    ///   - expiresAt: Unix seconds; after `clock.now()` and at most `maximumLifetime` later.
    ///   - envelopeID: nil draws a random one from `rng`.
    ///   - minimumSizeClass: pad to at least this class, to hide more of the length.
    /// - Throws: `EnvelopeError.invalidSealInput` for no or duplicate recipients, a prekey that is
    ///   not usable now, an expiry in the past or beyond 30 days, or a referral above 4 MiB.
    public static func seal(referral: [UInt8], from sender: DeviceIdentity, to recipients: [RecipientDevice],
                            consent: ConsentReference, expiresAt: UInt64, envelopeID: EnvelopeID? = nil,
                            minimumSizeClass: UInt8 = 0, clock: some RelaisClock, rng: some RandomSource) throws(EnvelopeError) -> SealedEnvelope {
        let now = clock.now()
        guard !recipients.isEmpty else { throw .invalidSealInput("no recipient device") }
        let sorted = recipients.sorted { $0.deviceID < $1.deviceID }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.deviceID == b.deviceID {
            throw .invalidSealInput("device \(a.deviceID) listed twice")
        }
        for r in sorted where !r.prekey.isUsable(at: now) {
            throw .invalidSealInput("prekey \(r.prekey.prekeyID) of device \(r.deviceID) is not valid now: fetch the current one")
        }
        guard expiresAt > now else { throw .invalidSealInput("expiry \(expiresAt) is not after now (\(now))") }
        guard expiresAt <= now + maximumLifetime else {
            throw .invalidSealInput("expiry \(expiresAt) is more than 30 days after now (\(now))")
        }
        let id = envelopeID ?? EnvelopeID.random(using: rng)

        var k = rng.bytes(contentKeyByteCount)
        let contentKey = SecretBytes(k)
        wipe(&k)
        let stanzas: [EnvelopeHeader.Stanza]
        do {
            stanzas = try sorted.map { r in
                let wrapped = try SealedBox.seal(contentKey, to: r.prekey.publicKey, using: rng)
                return EnvelopeHeader.Stanza(deviceID: r.deviceID, prekeyID: r.prekey.prekeyID, wrappedKey: wrapped)
            }
        } catch {
            throw .invalidSealInput("a recipient prekey is not a usable X25519 key")
        }
        let recipientIDs = sorted.map(\.deviceID)
        let unpadded = 4 + (1 + 16 + 32 + 16 + 1 + 16 * recipientIDs.count + 4 + referral.count) + 64
        guard let needed = sizeClass(for: unpadded) else {
            throw .invalidSealInput("referral of \(referral.count) bytes is above the 4 MiB limit")
        }
        guard minimumSizeClass <= EnvelopeHeader.maxSizeClass else { throw .invalidSealInput("size class above 12") }
        let header = try EnvelopeHeader(envelopeID: id, expiresAt: expiresAt, consent: consent,
                                        sizeClass: max(needed, minimumSizeClass),
                                        recipientOrganisations: Array(Set(sorted.map(\.organisationID))),
                                        stanzas: stanzas)
        let signed = SignedReferral(envelopeID: id, headerHash: header.hash, senderDeviceID: sender.deviceID,
                                    recipients: recipientIDs, referral: referral).signedBytes
        let plaintext = SignedReferral.plaintext(signed: signed, signature: sender.sign(.signedReferral, signed),
                                                 paddedLength: header.paddedLength)
        return assemble(header: header, contentKey: contentKey, plaintext: plaintext)
    }

    /// `header ‖ XChaCha20-Poly1305(bodyKey, nonce 0, plaintext, AD = header)`. A building block of
    /// `seal`, public so that test vectors can build deliberately invalid envelopes.
    public static func assemble(header: EnvelopeHeader, contentKey: SecretBytes, plaintext: [UInt8]) -> SealedEnvelope {
        let body = try! XChaCha20Poly1305.seal(plaintext, key: bodyKey(contentKey: contentKey, envelopeID: header.envelopeID),
                                               nonce: bodyNonce, associatedData: header.encoded)
        return SealedEnvelope(header: header, bytes: header.encoded + body)
    }

    /// Opens an envelope as `device`, running the checks of SPEC.md, "Opening", in order.
    ///
    /// - Parameters:
    ///   - prekeys: this device's private prekeys by id (nil once erased).
    ///   - senders: verified identities of known devices by id.
    /// - Throws: the first failing check as `EnvelopeError`.
    public static func open(_ bytes: [UInt8], as device: DeviceID,
                            prekeys: (PrekeyID) -> X25519PrivateKey?,
                            senders: (DeviceID) -> DevicePublicIdentity?,
                            clock: some RelaisClock) throws(EnvelopeError) -> OpenedEnvelope {
        // 1. Header.
        let (header, bodyOffset) = try EnvelopeHeader.parse(bytes)
        // 2. A stanza for this device.
        guard let stanza = header.stanzas.first(where: { $0.deviceID == device }) else { throw .noStanzaForDevice(device) }
        // 3. Unwrap the content key.
        guard let prekey = prekeys(stanza.prekeyID) else { throw .prekeyUnavailable(stanza.prekeyID) }
        guard let contentKey = try? SealedBox.open(stanza.wrappedKey, with: prekey),
              contentKey.count == contentKeyByteCount else { throw .unwrapFailed }
        // 4. Decrypt with the header as associated data; the length is fixed by the size class.
        let body = Array(bytes[bodyOffset...])
        guard body.count == header.paddedLength + XChaCha20Poly1305.tagByteCount,
              let plaintext = try? XChaCha20Poly1305.open(body, key: bodyKey(contentKey: contentKey, envelopeID: header.envelopeID),
                                                          nonce: bodyNonce, associatedData: header.encoded)
        else { throw .bodyDecryptionFailed }
        // 5–6. Signature over the exact signed bytes, before parsing them.
        let (signed, signature) = try SignedReferral.split(plaintext: plaintext)
        let senderID = try SignedReferral.senderDeviceID(in: signed)
        guard let sender = senders(senderID), sender.deviceID == senderID else { throw .unknownSender(senderID) }
        guard sender.signingKey.isValidSignature(signature, context: .signedReferral, message: signed) else { throw .badSignature }
        let payload = try SignedReferral(parsing: signed)
        guard payload.envelopeID == header.envelopeID,
              constantTimeEqual(payload.headerHash, header.hash) else { throw .headerMismatch }
        // 7. This device among the signed recipients.
        guard payload.recipients.contains(device) else { throw .notASignedRecipient(device) }
        // 8. Expiry.
        let now = clock.now()
        guard now < header.expiresAt else { throw .expired(expiresAt: header.expiresAt, now: now) }
        return OpenedEnvelope(header: header, sender: sender, signedRecipients: payload.recipients, referralBytes: payload.referral)
    }
}
