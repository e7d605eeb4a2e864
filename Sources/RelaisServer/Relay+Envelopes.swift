import Logging
import RelaisCore
import RelaisCrypto
import RelaisStore

extension Relay {
    /// Validates the cleartext header against the directory and stores the envelope durably.
    /// Returns the stored envelope and whether it was a retry of an identical submit.
    func submit(_ bytes: [UInt8]) async throws -> (StoredEnvelope, duplicate: Bool) {
        let caller = try Caller.require(Caller.receivers, to: "send envelopes")
        guard let senderOrganisation = caller.organisationID else { throw RelayError.forbidden("role", "the sender has no organisation") }
        guard bytes.count <= configuration.maxEnvelopeBytes else { throw RelayError.tooLarge(configuration.maxEnvelopeBytes) }
        let header: EnvelopeHeader
        let bodyOffset: Int
        do {
            (header, bodyOffset) = try EnvelopeHeader.parse(bytes)
        } catch {
            throw RelayError.badRequest("envelope", "\(error)")
        }
        guard bytes.count - bodyOffset == header.paddedLength + XChaCha20Poly1305.tagByteCount else {
            throw RelayError.badRequest("envelope", "the body length does not match size class \(header.sizeClass)")
        }
        let now = clock.now()
        guard header.expiresAt > now else { throw RelayError.unprocessable("expiry", "the envelope expiry is in the past") }
        guard header.expiresAt <= now + configuration.maxLifetimeSeconds else {
            throw RelayError.unprocessable("expiry", "the envelope expires more than \(configuration.maxLifetimeSeconds / 86_400) days from now")
        }
        guard header.stanzas.count <= configuration.maxRecipients else {
            throw RelayError.unprocessable("recipients", "at most \(configuration.maxRecipients) recipient devices per envelope")
        }
        var deliveries: [Delivery] = []
        var coveredOrganisations = Set<OrganisationID>()
        for stanza in header.stanzas {
            guard let device = try await storeCall({ try await store.device(stanza.deviceID) }), device.status == .active,
                  Caller.receivers.contains(device.role), let org = device.organisationID else {
                throw RelayError.unprocessable("recipient", "recipient device \(stanza.deviceID) is unknown, revoked or cannot receive; refresh the directory")
            }
            guard header.recipientOrganisations.contains(org) else {
                throw RelayError.unprocessable("recipient", "recipient device \(stanza.deviceID) does not belong to a named recipient organisation")
            }
            guard let prekey = try await storeCall({ try await store.prekey(device: stanza.deviceID, id: stanza.prekeyID) }), prekey.notAfter > now else {
                throw RelayError.unprocessable("prekey", "the prekey used for device \(stanza.deviceID) is unknown or expired; refresh the directory")
            }
            coveredOrganisations.insert(org)
            deliveries.append(Delivery(deviceID: device.id, organisationID: org))
        }
        guard coveredOrganisations == Set(header.recipientOrganisations) else {
            throw RelayError.unprocessable("recipient", "every named recipient organisation needs at least one recipient device")
        }
        try await checkCoverage(header, senderOrganisation: senderOrganisation, now: now)
        // The envelope is the request body: its digest was computed when the signature was checked.
        let digest = caller.bodyLength == bytes.count && caller.bodyDigest.count == SHA256.byteCount ? caller.bodyDigest : SHA256.hash(bytes)
        let envelope = StoredEnvelope(id: header.envelopeID, senderDevice: caller.id, senderOrganisation: senderOrganisation, bytes: bytes,
                                      digest: digest, sizeClass: header.sizeClass, consent: header.consent, submittedAt: now,
                                      expiresAt: header.expiresAt, deliveries: deliveries)
        let outcome: SubmitOutcome
        do {
            outcome = try await store.submit(envelope)
        } catch let error as StoreError where error.code == .conflict && error.message.hasSuffix("was withdrawn") {
            throw Self.refusal(.consentWithdrawn)
        } catch let error as StoreError where error.code == .conflict && error.message.hasSuffix("is exhausted") {
            throw Self.refusal(.declarationExhausted)
        } catch {
            outcome = try await storeCall { throw error }
        }
        metrics.envelopeSubmitted(duplicate: outcome == .duplicate)
        // Committed: the recipients' inbox waits in this process answer now (SPEC.md, "Waiting for the inbox").
        if outcome != .duplicate { inboxWaits.signal(deliveries.map(\.deviceID)) }
        return (envelope, outcome == .duplicate)
    }

    /// The longest `wait` the contract allows; this relay waits at most `inboxWaitBoundSeconds`.
    static let maxInboxWait = 60

    /// The caller's inbox and its cursor. With `wait` > 0: at once if the inbox differs from the
    /// one `after` names (an empty inbox when absent), otherwise once a submit to the caller
    /// commits, or `wait` seconds (at most the relay's bound) elapsed, or the relay shuts down.
    func inbox(limit: Int?, wait: Int? = nil, after: String? = nil) async throws -> (entries: [InboxEntry], cursor: String) {
        let caller = try Caller.require(Caller.receivers, to: "read an inbox")
        let n = limit ?? configuration.inboxPageLimit
        guard (1...configuration.inboxPageLimit).contains(n) else {
            throw RelayError.badRequest("limit", "limit must be 1 to \(configuration.inboxPageLimit)")
        }
        guard (0...Self.maxInboxWait).contains(wait ?? 0) else { throw RelayError.badRequest("wait", "wait must be 0 to \(Self.maxInboxWait) seconds") }
        guard after.map({ $0.utf8.count == 32 && Hex.decode($0) != nil && $0 == $0.lowercased() }) ?? true else {
            throw RelayError.badRequest("wait", "after must be the cursor of an earlier inbox answer (32 lowercase hex digits)")
        }
        let read = { try await storeCall { try await store.inbox(device: caller.id, now: clock.now(), limit: n) } }
        let entries: [InboxEntry]
        if let wait, wait > 0 {
            let bound = min(Double(wait), configuration.inboxWaitBoundSeconds)
            entries = try await inboxWaits.answer(device: caller.id, after: after ?? InboxWaits.cursor([]),
                                                  within: .milliseconds(Int64(bound * 1000)), read: read)
        } else {
            entries = try await read()
        }
        return (entries, InboxWaits.cursor(entries))
    }

    func fetch(_ text: String) async throws -> [UInt8] {
        let caller = try Caller.require(Caller.receivers, to: "fetch envelopes")
        guard let id = EnvelopeID(hex: text) else { throw RelayError.badRequest("envelope_id", "envelope ids are 32 lowercase hex digits") }
        guard let bytes = try await storeCall({ try await store.envelope(id, for: caller.id, now: clock.now()) }) else {
            throw RelayError.notFound("envelope")
        }
        return bytes
    }

    /// What became of an envelope its caller's organisation sent: the counts of the devices it
    /// was sealed for, fetched by and acknowledged by, and when it was deleted. 404 for an envelope
    /// of another organisation, as for one that does not exist.
    func status(_ text: String) async throws -> EnvelopeStatus {
        let caller = try Caller.require(Caller.receivers, to: "follow envelopes")
        guard let id = EnvelopeID(hex: text) else { throw RelayError.badRequest("envelope_id", "envelope ids are 32 lowercase hex digits") }
        guard let org = caller.organisationID,
              let status = try await storeCall({ try await store.envelopeStatus(id, senderOrganisation: org) }) else {
            throw RelayError.notFound("envelope")
        }
        return status
    }

    func acknowledge(_ text: String) async throws -> Bool {
        let caller = try Caller.require(Caller.receivers, to: "acknowledge envelopes")
        guard let id = EnvelopeID(hex: text) else { throw RelayError.badRequest("envelope_id", "envelope ids are 32 lowercase hex digits") }
        switch try await storeCall({ try await store.acknowledge(id, device: caller.id, now: clock.now()) }) {
        case .acknowledged(let deleted)?:
            metrics.acknowledgement(deletedEnvelope: deleted)
            return deleted
        case .alreadyAcknowledged?: return false
        case nil: throw RelayError.notFound("envelope")
        }
    }
}
