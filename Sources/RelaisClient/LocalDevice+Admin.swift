import Foundation
public import RelaisCore
import RelaisCrypto

/// Operator and organisation-admin operations.
extension LocalDevice {
    /// Signs and publishes an organisation record (operator only). A change of an existing
    /// organisation passes its id and the next sequence.
    public func putOrganisation(id: OrganisationID? = nil, name: String, category: PartnerCategory, departements: [String],
                                exitProgrammeAccreditedUntil: UInt64?) async throws -> OrganisationRecord {
        try await requireActive()
        guard settings.role == .operator else { throw LocalError.usage("only the operator's device creates organisations") }
        var sequence: UInt64 = 1
        if let id, let existing = try await organisations().first(where: { $0.id == id }) { sequence = existing.sequence + 1 }
        let record = OrganisationRecord(id: id ?? .random(using: rng), name: name, category: category, departements: departements,
                                        exitProgrammeAccreditedUntil: exitProgrammeAccreditedUntil, sequence: sequence, issuedAt: clock.now())
        try await client.putOrganisation(try record.signed(by: identity))
        return record
    }

    public func invite(role: DeviceRole, organisation: OrganisationID?) async throws -> (code: InviteCode, expiresAt: UInt64) {
        try await requireActive()
        let issued = try await client.createInvite(role: role, organisation: organisation)
        try checkIssuedInvite(issued.code)
        return issued
    }

    public func pendingEnrolments() async throws -> [RelayClient.PendingEnrolment] {
        try await requireActive()
        return try await client.pendingEnrolments()
    }

    /// Signs the record of a device that redeemed one of this device's invites. `fingerprint`
    /// (the 30 digits the new user reads out) must match when given.
    public func approve(_ device: DeviceID, fingerprint expected: String?) async throws -> RelayClient.PendingEnrolment {
        try await requireActive()
        guard let pending = try await client.pendingEnrolments().first(where: { $0.deviceID == device }) else {
            throw LocalError.notFound("no pending enrolment \(device) for this device to approve")
        }
        if let expected {
            let digits = expected.filter(\.isNumber)
            guard digits == Fingerprint(of: pending.publicKey).digits else {
                throw LocalError.verification("the fingerprint does not match device \(device): do not approve it; ask the person to enrol again")
            }
        }
        let record = try DeviceRecord(identity: DevicePublicIdentity(signingKey: pending.publicKey), organisationId: pending.organisationID,
                                      role: pending.role, enrolledBy: identity.deviceID, inviteId: pending.inviteID, issuedAt: clock.now())
            .signed(by: identity)
        _ = try await client.approve(device, record: record)
        return pending
    }

    public func revoke(_ device: DeviceID) async throws {
        try await requireActive()
        let revocation = DeviceRevocation(deviceId: device, revokedBy: identity.deviceID, revokedAt: clock.now()).signed(by: identity)
        _ = try await client.revoke(device, revocation: revocation)
    }
}
