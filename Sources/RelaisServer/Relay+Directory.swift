import Foundation
import Logging
import RelaisCore
import RelaisCrypto
import RelaisStore

extension Relay {
    func redeemInvite(code text: String, publicKeyHex: String, proof proofBase64: String, record: SignedObject?) async throws -> StoredDevice {
        guard let code = InviteCode(text) else { throw RelayError.badRequest("invite", "the invite code is malformed: expected ri2_<id>_<secret>_<anchor>") }
        guard let keyBytes = Hex.decode(publicKeyHex), let key = try? Ed25519PublicKey(bytes: keyBytes) else {
            throw RelayError.badRequest("public_key", "publicKey must be a 32-byte Ed25519 key in lowercase hex")
        }
        guard let proof = Base64.decode(proofBase64), EnrolmentProof.isValid(proof, invite: code.id, publicKey: key) else {
            throw RelayError.badRequest("proof", "the proof of possession does not verify for this key and invite")
        }
        let now = clock.now()
        // One refusal for unknown, wrong-secret, used and expired invites: nothing to probe.
        let refused = RelayError.forbidden("invite", "this invite is not valid: unknown, already used, or expired; ask for a new one")
        guard let invite = try await storeCall({ try await store.invite(code.id) }),
              constantTimeEqual(invite.secretHash, code.secretHash), invite.redeemedBy == nil, now < invite.expiresAt else {
            throw refused
        }
        let identity = DevicePublicIdentity(signingKey: key)
        var device = StoredDevice(id: identity.deviceID, publicKey: keyBytes, organisationID: invite.organisationID, role: invite.role,
                                  status: .pending, inviteID: invite.id, enroller: invite.issuedBy ?? identity.deviceID, createdAt: now)
        if invite.role == .operator {
            // The root of trust: its record is self-signed, and it is active at once.
            guard let record else { throw RelayError.badRequest("record", "the operator invite needs the self-signed device record") }
            let parsed: DeviceRecord
            do {
                parsed = try DeviceRecord.verify(record, signer: identity)
            } catch {
                throw RelayError.badRequest("record", "\(error)")
            }
            guard parsed.role == .operator, parsed.deviceId == identity.deviceID, parsed.inviteId == invite.id, parsed.organisationId == nil else {
                throw RelayError.badRequest("record", "the operator record must name this device, this invite and the operator role")
            }
            device.status = .active
            device.record = record
        } else if record != nil {
            throw RelayError.badRequest("record", "only the operator record is sent at enrolment; the enroller signs the others")
        }
        try await storeCall { try await store.redeemInvite(invite.id, device: device, at: now) }
        if device.role == .operator { removeOperatorInviteFile() }
        logger.info("device enrolled", metadata: ["role": .string(device.role.rawValue), "status": .string(device.status.rawValue)])
        return device
    }

    func putOrganisation(_ signed: SignedObject) async throws -> OrganisationRecord {
        let caller = try Caller.require([.operator], to: "create or change organisations")
        let record = try verifiedFromCaller(caller, "record") { try OrganisationRecord.verify(signed, operatorKey: $0.signingKey) }
        try await storeCall { try await store.putOrganisation(StoredOrganisation(record: record, signed: signed)) }
        return record
    }

    func organisations(category: PartnerCategory?, departement: String?) async throws -> [StoredOrganisation] {
        _ = try Caller.require(Caller.directoryReaders, to: "read the directory")
        if let departement, !OrganisationRecord.isDepartement(departement) {
            throw RelayError.badRequest("departement", "a département code is 2 or 3 characters of 0-9, A, B (75, 2A, 971)")
        }
        // National organisations (version 2 records listing no département) match every département.
        return try await storeCall { try await store.organisations(category: category, departement: departement) }
    }

    /// Active and revoked devices (pending ones are nobody's business but their enroller's).
    func devices(organisation text: String) async throws -> [(StoredDevice, StoredPrekey?)] {
        _ = try Caller.require(Caller.directoryReaders, to: "read the directory")
        guard let id = OrganisationID(hex: text) else { throw RelayError.badRequest("organisation_id", "organisation ids are 32 lowercase hex digits") }
        guard try await storeCall({ try await store.organisation(id) }) != nil else { throw RelayError.notFound("organisation") }
        let devices = try await storeCall { try await store.devices(organisation: id) }.filter { $0.status != .pending }
        var out: [(StoredDevice, StoredPrekey?)] = []
        for d in devices {
            out.append((d, d.status == .active ? try await storeCall { try await store.currentPrekey(device: d.id) } : nil))
        }
        return out
    }

    func device(_ text: String) async throws -> (StoredDevice, StoredPrekey?) {
        _ = try Caller.require(Caller.directoryReaders, to: "read the directory")
        guard let id = DeviceID(hex: text) else { throw RelayError.badRequest("device_id", "device ids are 32 lowercase hex digits") }
        guard let d = try await storeCall({ try await store.device(id) }), d.status != .pending else { throw RelayError.notFound("device") }
        return (d, d.status == .active ? try await storeCall { try await store.currentPrekey(device: id) } : nil)
    }

    func createInvite(role roleText: String, organisation orgText: String?, lifetime: UInt64?) async throws -> (InviteCode, UInt64) {
        let caller = try Caller.require([.operator, .admin], to: "issue invites")
        guard let role = DeviceRole(rawValue: roleText), role != .operator else {
            throw RelayError.badRequest("role", "role must be admin, member or auditor")
        }
        var organisation: OrganisationID?
        if let orgText {
            guard let o = OrganisationID(hex: orgText) else { throw RelayError.badRequest("organisation_id", "organisation ids are 32 lowercase hex digits") }
            organisation = o
        }
        if caller.role == .admin {
            guard organisation == nil || organisation == caller.organisationID else {
                throw RelayError.forbidden("organisation", "an admin invites only into its own organisation")
            }
            organisation = caller.organisationID
        }
        if caller.role == .operator, role == .admin, organisation == nil {
            throw RelayError.badRequest("organisation_id", "an admin invite names its organisation")
        }
        guard DirectoryRules.mayEnrol(.init(role: caller.role, organisation: caller.organisationID), role: role, organisation: organisation) else {
            if role == .auditor, caller.role == .operator { throw RelayError.badRequest("organisation_id", "auditors belong to no organisation") }
            throw RelayError.forbidden("role", "a device with role \(caller.role.rawValue) may not invite a \(role.rawValue)")
        }
        if let organisation, try await storeCall({ try await store.organisation(organisation) }) == nil { throw RelayError.notFound("organisation") }
        let life = lifetime ?? configuration.inviteLifetimeSeconds
        guard (60...30 * 86_400).contains(life) else { throw RelayError.badRequest("lifetime", "invite lifetime must be 60 s to 30 days") }
        let code = InviteCode.generate(anchor: try await inviteAnchor(), using: rng)
        let now = clock.now()
        try await storeCall {
            try await store.createInvite(StoredInvite(id: code.id, secretHash: code.secretHash, organisationID: organisation, role: role,
                                                      issuedBy: caller.id, createdAt: now, expiresAt: now + life))
        }
        return (code, now + life)
    }

    /// The anchor every invite carries: the operator's key (none before it enrolled) and the log's
    /// verifier key (SPEC.md, "Invites and enrolment"). The issuer's client checks it against its pins.
    func inviteAnchor() async throws -> InviteAnchor {
        InviteAnchor(operatorKey: try await operatorDevice()?.identity?.signingKey, logVerifierKey: await auditLog.verifierKey.encoded)
    }

    /// The operator invite is a secret of one use: once redeemed, its file goes (finding 14). A
    /// relay sharing a PostgreSQL store with the one that redeemed it removes its copy at its next start.
    func removeOperatorInviteFile() {
        if unlink(configuration.operatorInvitePath) != 0, errno != ENOENT {
            logger.warning("cannot remove the used operator invite", metadata: ["errno": .stringConvertible(errno)])
        }
    }

    func pendingEnrolments() async throws -> [StoredDevice] {
        let caller = try Caller.require([.operator, .admin], to: "approve enrolments")
        return try await storeCall { try await store.pendingDevices(enroller: caller.id) }
    }

    func approve(device text: String, record signed: SignedObject) async throws -> StoredDevice {
        let caller = try Caller.require([.operator, .admin], to: "approve enrolments")
        guard let id = DeviceID(hex: text) else { throw RelayError.badRequest("device_id", "device ids are 32 lowercase hex digits") }
        guard var device = try await storeCall({ try await store.device(id) }), device.enroller == caller.id else {
            throw RelayError.notFound("pending enrolment")
        }
        guard device.status == .pending else { throw RelayError.conflict("not_pending", "this device is already \(device.status.rawValue)") }
        let record = try verifiedFromCaller(caller, "record") { try DeviceRecord.verify(signed, signer: $0) }
        guard record.deviceId == device.id, Hex.decode(record.publicKey) == device.publicKey, record.role == device.role,
              record.organisationId == device.organisationID, record.inviteId == device.inviteID else {
            throw RelayError.badRequest("record", "the record does not match the pending enrolment (device, key, role, organisation or invite)")
        }
        try await storeCall { try await store.activateDevice(id, record: signed, at: clock.now()) }
        device.status = .active
        device.record = signed
        return device
    }

    func revoke(device text: String, revocation signed: SignedObject) async throws -> StoredDevice {
        let caller = try Caller.require([.operator, .admin], to: "revoke devices")
        guard let id = DeviceID(hex: text) else { throw RelayError.badRequest("device_id", "device ids are 32 lowercase hex digits") }
        guard var device = try await storeCall({ try await store.device(id) }) else { throw RelayError.notFound("device") }
        if caller.role == .admin, device.organisationID != caller.organisationID { throw RelayError.notFound("device") }
        guard device.role != .operator else { throw RelayError.forbidden("operator", "the operator device cannot be revoked") }
        guard DirectoryRules.mayRevoke(.init(role: caller.role, organisation: caller.organisationID), role: device.role,
                                       organisation: device.organisationID) else { throw RelayError.notFound("device") }
        guard device.status != .revoked else { throw RelayError.conflict("revoked", "this device is already revoked") }
        let revocation = try verifiedFromCaller(caller, "revocation") { try DeviceRevocation.verify(signed, signer: $0) }
        guard revocation.deviceId == id else { throw RelayError.badRequest("revocation", "the revocation names another device") }
        try await storeCall { try await store.revokeDevice(id, revocation: signed, at: clock.now()) }
        sessions.close(device: id)
        device.status = .revoked
        device.revocation = signed
        logger.info("device revoked", metadata: ["role": .string(device.role.rawValue)])
        return device
    }

    func publishPrekey(_ base64: String) async throws {
        let caller = try Caller.require(Caller.receivers, to: "publish prekeys (only organisation devices receive envelopes)")
        guard let bytes = Base64.decode(base64) else { throw RelayError.badRequest("signed_prekey", "signedPrekey must be base64") }
        let prekey = try verifiedFromCaller(caller, "signed_prekey") { try SignedPrekey(verifying: bytes, signer: $0) }
        let now = clock.now()
        guard prekey.createdAt <= now + configuration.clockSkewSeconds, prekey.notAfter > now else {
            throw RelayError.badRequest("signed_prekey", "the prekey is not valid now (created_at in the future or not_after passed)")
        }
        guard prekey.notAfter - prekey.createdAt <= Envelope.maximumLifetime else {
            throw RelayError.badRequest("signed_prekey", "a prekey may be valid for at most 30 days")
        }
        try await storeCall { try await store.putPrekey(StoredPrekey(prekey)) }
    }
}
