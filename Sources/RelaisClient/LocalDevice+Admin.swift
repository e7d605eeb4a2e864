import Foundation
public import RelaisCore
import RelaisCrypto

/// Operator and organisation-admin operations.
extension LocalDevice {
    /// Signs and publishes an organisation record (operator only). A change of an existing
    /// organisation passes its id and the next sequence.
    /// A version 1 record (category, départements, one accreditation end).
    public func putOrganisation(id: OrganisationID? = nil, name: String, category: PartnerCategory, departements: [String],
                                exitProgrammeAccreditedUntil: UInt64?) async throws -> OrganisationRecord {
        try await publishOrganisation(OrganisationRecord(id: id ?? .random(using: rng), name: name, category: category, departements: departements,
                                                         exitProgrammeAccreditedUntil: exitProgrammeAccreditedUntil, issuedAt: 0),
                                      replacing: id)
    }

    /// Signs and publishes `record` (any version) under the id `replacing` (a new version of that
    /// organisation, its sequence one above the directory's, if it is there) or under a fresh id; the sequence and
    /// the issue time are set here.
    public func publishOrganisation(_ record: OrganisationRecord, replacing id: OrganisationID?) async throws -> OrganisationRecord {
        try await requireActive()
        guard settings.role == .operator else { throw LocalError.usage(Message.operatorOnlyCreatesOrganisations.text) }
        var record = record
        record.id = id ?? .random(using: rng)
        record.sequence = 1
        if let id, let existing = try await organisations().first(where: { $0.id == id }) { record.sequence = existing.sequence + 1 }
        record.issuedAt = clock.now()
        try await client.putOrganisation(try record.signed(by: identity))
        return record
    }

    public func invite(role: DeviceRole, organisation: OrganisationID?) async throws -> (code: InviteCode, expiresAt: UInt64) {
        try await requireActive()
        let issued = try await client.createInvite(role: role, organisation: organisation)
        try checkIssuedInvite(issued.code)
        // What this device meant, kept in the keystore: approval signs this, never what the relay reports.
        let now = clock.now()
        let invited = VaultContents.IssuedInvite(inviteId: issued.code.id, role: role,
                                                 organisationId: role.hasOrganisation ? organisation ?? settings.organisationId : nil,
                                                 expiresAt: min(issued.expiresAt, now + Self.longestInviteLifetime))
        vault.issuedInvites = (vault.issuedInvites ?? []).filter { $0.expiresAt > now } + [invited]
        try save()
        return issued
    }

    /// The relay's upper bound on an invite's lifetime: an invite is not kept here longer.
    static let longestInviteLifetime: UInt64 = 30 * 86_400

    /// A pending enrolment as the relay reports it, beside what this device invited.
    public struct PendingReview: Sendable {
        public let enrolment: RelayClient.PendingEnrolment
        /// The name of the organisation the relay reports, from the verified directory, if known.
        public let organisationName: String?
        /// Why this device will not sign it; nil when it matches an invite issued here.
        public let mismatch: String?
    }

    public func pendingEnrolments() async throws -> [PendingReview] {
        try await requireActive()
        let pending = try await client.pendingEnrolments()
        let names = Dictionary((try? await organisations())?.map { ($0.id, $0.name) } ?? [], uniquingKeysWith: { a, _ in a })
        return pending.map { p in
            PendingReview(enrolment: p, organisationName: p.organisationID.flatMap { names[$0] }, mismatch: matchingInvite(p).mismatch)
        }
    }

    /// Compares a pending enrolment with the invite this device issued under its id: the relay's
    /// role and organisation are only its word, and the record this device signs is what counts.
    func matchingInvite(_ pending: RelayClient.PendingEnrolment) -> (invite: VaultContents.IssuedInvite?, mismatch: String?) {
        guard let invite = vault.issuedInvites?.first(where: { $0.inviteId == pending.inviteID }) else {
            return (nil, Message.inviteNotIssuedHere(invite: pending.inviteID.hex).text)
        }
        if pending.role != invite.role {
            let language = Messages.language
            return (nil, Message.inviteRoleDiffers(reported: pending.role.label(language), invite: invite.inviteId.hex, issued: invite.role.label(language)).text)
        }
        if pending.organisationID != invite.organisationId {
            return (nil, Message.inviteOrganisationDiffers(reported: pending.organisationID?.hex, invite: invite.inviteId.hex, issued: invite.organisationId?.hex).text)
        }
        if clock.now() >= invite.expiresAt {
            return (nil, Message.inviteExpired(invite: invite.inviteId.hex, at: LocalTime.date(invite.expiresAt, Messages.language)).text)
        }
        return (invite, nil)
    }

    /// Signs the record of a device that redeemed one of this device's invites: with the role and
    /// organisation of that invite as kept here, and only if the relay's report matches them.
    /// `fingerprint` (the 30 digits the new user reads out) must match when given.
    public func approve(_ device: DeviceID, fingerprint expected: String?) async throws -> RelayClient.PendingEnrolment {
        try await requireActive()
        guard let pending = try await client.pendingEnrolments().first(where: { $0.deviceID == device }) else {
            throw LocalError.notFound(Message.pendingEnrolmentUnknown(device: device.hex).text)
        }
        let match = matchingInvite(pending)
        guard let invite = match.invite else {
            throw LocalError.verification(Message.approveNoInvite(device: device.hex, why: match.mismatch).text)
        }
        if let expected {
            let digits = expected.filter(\.isNumber)
            guard digits == Fingerprint(of: pending.publicKey).digits else {
                throw LocalError.verification(Message.approveFingerprintMismatch(device: device.hex).text)
            }
        }
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: invite.organisationId,
                                      role: invite.role, enrolledBy: identity.deviceID, inviteId: invite.inviteId, issuedAt: clock.now())
            .signed(by: identity)
        _ = try await client.approve(device, record: record)
        vault.issuedInvites?.removeAll { $0.inviteId == invite.inviteId }  // one invite, one approval
        try save()
        // The record is signed: a failure here must not undo it, and any device holding the key
        // gives it at its next `refresh` to a device that lacks it.
        _ = try? await giveOrganisationKeyOnApproval(invite, key: pending.publicKey)
        return pending
    }

    public func revoke(_ device: DeviceID) async throws {
        try await requireActive()
        let revocation = DeviceRevocation(deviceId: device, revokedBy: identity.deviceID, revokedAt: clock.now()).signed(by: identity)
        _ = try await client.revoke(device, revocation: revocation)
    }
}
