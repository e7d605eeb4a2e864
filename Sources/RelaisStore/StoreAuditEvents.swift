public import RelaisCore
import RelaisCrypto

/// The audit-log entries every store writes with its changes, defined once so that the SQLite and
/// the PostgreSQL stores log exactly the same bytes for the same change (SPEC.md, "Audit log").
/// Each takes the change's own time; the stores pass their clock's time for changes that carry none.
public enum StoreAuditEvents {
    static func event(_ kind: AuditEvent.Kind, _ time: UInt64, _ fill: (inout AuditEvent) -> Void) -> AuditEvent {
        var e = AuditEvent(kind: kind, time: time)
        fill(&e)
        return e
    }

    public static func organisationPut(_ o: StoredOrganisation, at time: UInt64) -> AuditEvent {
        event(.organisationPut, time) {
            $0.organisation = o.id
            $0.category = o.category
            $0.sequence = o.sequence
            $0.accreditedUntil = o.exitProgrammeAccreditedUntil
            $0.attach(o.signed)
        }
    }

    /// An invite issued (by the operator or an admin; `actor` absent for the relay's own operator
    /// invite). Its secret and the secret's hash stay out of the log.
    public static func inviteIssued(_ i: StoredInvite) -> AuditEvent {
        event(.inviteIssued, i.createdAt) {
            $0.invite = i.id
            $0.actor = i.issuedBy
            $0.role = i.role
            $0.organisation = i.organisationID
            $0.expiresAt = i.expiresAt
        }
    }

    public static func deviceEnrolled(_ d: StoredDevice, at time: UInt64) -> AuditEvent {
        event(.deviceEnrolled, time) {
            $0.device = d.id
            $0.invite = d.inviteID
            $0.organisation = d.organisationID
            $0.role = d.role
            $0.actor = d.enroller
            $0.publicKey = Hex.encode(d.publicKey)
        }
    }

    /// `device` is nil only if its row vanished, which the stores' transactions rule out.
    public static func deviceActivated(_ id: DeviceID, _ device: StoredDevice?, record: SignedObject, at time: UInt64) -> AuditEvent {
        event(.deviceActivated, time) {
            $0.device = id
            $0.organisation = device?.organisationID
            $0.role = device?.role
            $0.actor = device?.enroller
            $0.publicKey = device.map { Hex.encode($0.publicKey) }
            $0.attach(record)
        }
    }

    public static func deviceRevoked(_ id: DeviceID, revocation: SignedObject, at time: UInt64) -> AuditEvent {
        event(.deviceRevoked, time) {
            $0.device = id
            $0.attach(revocation)
        }
    }

    public static func prekeyPublished(_ p: StoredPrekey, at time: UInt64) -> AuditEvent {
        event(.prekeyPublished, time) {
            $0.device = p.deviceID
            $0.prekey = p.prekeyID.description
            $0.attach(SignedObject(bytes: Array(p.record.prefix(SignedPrekey.bodyByteCount)),
                                   signature: Array(p.record.dropFirst(SignedPrekey.bodyByteCount))))
        }
    }

    public static func consentGranted(_ c: StoredConsent, at time: UInt64) -> AuditEvent {
        event(.consentGranted, time) {
            $0.consent = c.id
            $0.organisation = c.organisationID
            $0.actor = c.recordedBy
            $0.validFrom = c.grantedAt
            $0.validUntil = c.validUntil
            $0.attach(c.signed)
        }
    }

    public static func consentWithdrawn(_ id: ConsentID, notified: [OrganisationID], withdrawal: SignedObject, at time: UInt64) -> AuditEvent {
        event(.consentWithdrawn, time) {
            $0.consent = id
            $0.recipientOrganisations = notified
            $0.attach(withdrawal)
        }
    }

    public static func declarationMade(_ d: StoredDeclaration, at time: UInt64) -> AuditEvent {
        event(.declarationMade, time) {
            $0.consent = d.id
            $0.organisation = d.organisationID
            $0.actor = d.declaredBy
            $0.attach(d.signed)
        }
    }

    public static func envelopeSubmitted(_ e: StoredEnvelope) -> AuditEvent {
        event(.envelopeSubmitted, e.submittedAt) {
            $0.envelope = e.id
            $0.actor = e.senderDevice
            $0.organisation = e.senderOrganisation
            $0.recipientOrganisations = Array(Set(e.deliveries.map(\.organisationID))).sorted()
            $0.consentKind = e.consent.kind.rawValue
            $0.consent = e.consent.id
            $0.sizeClass = e.sizeClass
            $0.expiresAt = e.expiresAt
        }
    }

    /// The first fetch of the envelope by `device`: its bytes left the relay for that device.
    public static func envelopeDelivered(_ id: EnvelopeID, device: DeviceID, at time: UInt64) -> AuditEvent {
        envelopeByDevice(.envelopeDelivered, id, device, time)
    }

    public static func envelopeAcknowledged(_ id: EnvelopeID, device: DeviceID, at time: UInt64) -> AuditEvent {
        envelopeByDevice(.envelopeAcknowledged, id, device, time)
    }

    /// What one device did with one envelope (fetched it first, acknowledged it): the same fields.
    private static func envelopeByDevice(_ kind: AuditEvent.Kind, _ id: EnvelopeID, _ device: DeviceID, _ time: UInt64) -> AuditEvent {
        event(kind, time) {
            $0.envelope = id
            $0.device = device
        }
    }

    /// Deleted before its expiry: by its last acknowledgement, or by the revocation of its last device.
    public static func envelopeDeleted(_ id: EnvelopeID, at time: UInt64) -> AuditEvent {
        event(.envelopeDeleted, time) { $0.envelope = id }
    }

    public static func envelopeDeletedByWithdrawal(_ id: EnvelopeID, consent: ConsentID, at time: UInt64) -> AuditEvent {
        event(.envelopeDeletedByWithdrawal, time) {
            $0.envelope = id
            $0.consent = consent
        }
    }

    public static func envelopeExpired(_ id: EnvelopeID, at time: UInt64) -> AuditEvent {
        event(.envelopeExpired, time) { $0.envelope = id }
    }
}

/// An entry encoded and hashed ahead of its transaction, so that a store's writer only inserts:
/// its exact bytes and its RFC 9162 leaf hash, SHA-256(0x00 ‖ bytes).
public struct AuditEntry: Sendable, Equatable {
    public let bytes: [UInt8]
    public let leafHash: [UInt8]
    /// For a directory entry (`DirectoryInclusion.kinds`), the organisation it is about (its 16
    /// bytes), or no bytes for the relay's own devices (operator, auditors); nil for every other
    /// entry. Stored beside the entry: an organisation's monitor reads its entries by it
    /// (`directoryEntries(organisation:from:limit:)`), and a directory record's log index is found
    /// through the entry's leaf hash among the directory entries only.
    public let directoryScope: [UInt8]?

    /// - Parameter organisation: the organisation of the device an entry names, for the directory
    ///   entries that do not name it themselves (`deviceRevoked`, `prekeyPublished`).
    public init(_ event: AuditEvent, organisation: OrganisationID? = nil) {
        bytes = event.encoded
        leafHash = SHA256.hash([0x00] + bytes)
        directoryScope = DirectoryInclusion.kinds.contains(event.kind) ? (event.organisation ?? organisation)?.bytes ?? [] : nil
    }
}
