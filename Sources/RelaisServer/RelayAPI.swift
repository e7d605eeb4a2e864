import Foundation
import OpenAPIRuntime
import RelaisAPI
import RelaisCore
import RelaisCrypto
import RelaisStore

/// Adapts `Relay` to the interface generated from Protocol/openapi.yaml. Only conversions here:
/// every rule lives in `Relay`. Refusals are thrown as `RelayError` and rendered by
/// `OpenAPIErrorMiddleware`.
struct RelayAPI: APIProtocol {
    let relay: Relay

    func health(_ input: Operations.Health.Input) async throws -> Operations.Health.Output {
        .ok(.init(body: .json(.init(status: "ok"))))
    }

    func ready(_ input: Operations.Ready.Input) async throws -> Operations.Ready.Output {
        try await relay.requireReady()
        return .ok(.init(body: .json(.init(status: .ready))))
    }

    func getRelayInfo(_ input: Operations.GetRelayInfo.Input) async throws -> Operations.GetRelayInfo.Output {
        let op = try await relay.operatorDevice()
        let c = relay.configuration
        let limits = Components.Schemas.Limits(
            maxBodyBytes: Int64(c.maxJSONBodyBytes), maxEnvelopeBytes: Int64(c.maxEnvelopeBytes), maxRecipients: c.maxRecipients,
            defaultLifetimeSeconds: Int64(c.defaultLifetimeSeconds), maxLifetimeSeconds: Int64(c.maxLifetimeSeconds),
            requestsPerSecond: c.requestsPerSecond, burst: c.burst, clockSkewSeconds: Int(c.clockSkewSeconds),
            maxInboxWaitSeconds: Int(c.inboxWaitBoundSeconds))
        return .ok(.init(body: .json(.init(protocolVersion: 1, operatorPublicKey: op.map { Hex.encode($0.publicKey) },
                                           operatorDeviceId: op?.id.hex, logVerifierKey: await relay.auditLog.verifierKey.encoded,
                                           time: Int64(relay.clock.now()), limits: limits))))
    }

    func redeemInvite(_ input: Operations.RedeemInvite.Input) async throws -> Operations.RedeemInvite.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let device = try await relay.redeemInvite(code: body.invite, publicKeyHex: body.publicKey, proof: body.proof,
                                                  record: try body.record.map(Self.signedObject))
        return .created(.init(body: .json(Self.status(device))))
    }

    func listPendingEnrolments(_ input: Operations.ListPendingEnrolments.Input) async throws -> Operations.ListPendingEnrolments.Output {
        let pending = try await relay.pendingEnrolments()
        return .ok(.init(body: .json(.init(enrolments: pending.map { d in
            .init(deviceId: d.id.hex, publicKey: Hex.encode(d.publicKey), role: .init(rawValue: d.role.rawValue)!,
                  organisationId: d.organisationID?.hex, inviteId: d.inviteID.hex, requestedAt: Int64(d.createdAt))
        }))))
    }

    func whoAmI(_ input: Operations.WhoAmI.Input) async throws -> Operations.WhoAmI.Output {
        guard let caller = Caller.current else { throw RelayError.unauthorized("unauthenticated", "sign this request") }
        let prekey = try await relay.storeCall { try await relay.store.currentPrekey(device: caller.id) }
        return .ok(.init(body: .json(Self.entry(.init(device: caller.device, prekey: prekey, logIndexes: .init(record: nil, revocation: nil))))))
    }

    func createSession(_ input: Operations.CreateSession.Input) async throws -> Operations.CreateSession.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let (id, relayPublic, expiresAt) = try relay.createSession(ephemeralPublicKeyHex: body.ephemeralPublicKey)
        return .created(.init(body: .json(.init(sessionId: id.hex, relayEphemeralPublicKey: Hex.encode(relayPublic.bytes),
                                                expiresAt: Int64(expiresAt)))))
    }

    func listOrganisations(_ input: Operations.ListOrganisations.Input) async throws -> Operations.ListOrganisations.Output {
        // The contract's enum is RelaisCore's (a test compares them); a value only one side knew would be refused, not ignored.
        let category = try input.query.category.map { c in
            guard let category = PartnerCategory(rawValue: c.rawValue) else { throw RelayError.badRequest("category", "unknown category") }
            return category
        }
        let orgs = try await relay.logIndexed(try await relay.organisations(category: category, departement: input.query.departement))
        return .ok(.init(body: .json(.init(organisations: orgs.map { Self.schema($0.0.signed, logIndex: $0.1) }))))
    }

    func putOrganisation(_ input: Operations.PutOrganisation.Input) async throws -> Operations.PutOrganisation.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let record = try await relay.putOrganisation(try Self.signedObject(body))
        return .created(.init(body: .json(.init(organisationId: record.id.hex, sequence: Int64(record.sequence)))))
    }

    func listDevices(_ input: Operations.ListDevices.Input) async throws -> Operations.ListDevices.Output {
        let devices = try await relay.logIndexed(try await relay.devices(organisation: input.path.organisationId))
        return .ok(.init(body: .json(.init(devices: devices.map(Self.entry)))))
    }

    func getDevice(_ input: Operations.GetDevice.Input) async throws -> Operations.GetDevice.Output {
        let device = try await relay.logIndexed([try await relay.device(input.path.deviceId)])[0]
        return .ok(.init(body: .json(Self.entry(device))))
    }

    func approveDevice(_ input: Operations.ApproveDevice.Input) async throws -> Operations.ApproveDevice.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let device = try await relay.approve(device: input.path.deviceId, record: try Self.signedObject(body))
        return .ok(.init(body: .json(Self.status(device))))
    }

    func revokeDevice(_ input: Operations.RevokeDevice.Input) async throws -> Operations.RevokeDevice.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let device = try await relay.revoke(device: input.path.deviceId, revocation: try Self.signedObject(body))
        return .ok(.init(body: .json(Self.status(device))))
    }

    func createInvite(_ input: Operations.CreateInvite.Input) async throws -> Operations.CreateInvite.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        if let l = body.lifetimeSeconds, l < 0 { throw RelayError.badRequest("lifetime", "invite lifetime must be positive") }
        let (code, expiresAt) = try await relay.createInvite(role: body.role.rawValue, organisation: body.organisationId,
                                                             lifetime: body.lifetimeSeconds.map { UInt64($0) })
        return .created(.init(body: .json(.init(invite: code.description, inviteId: code.id.hex, expiresAt: Int64(expiresAt)))))
    }

    func publishPrekey(_ input: Operations.PublishPrekey.Input) async throws -> Operations.PublishPrekey.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        try await relay.publishPrekey(body.signedPrekey)
        return .noContent(.init())
    }

    func submitEnvelope(_ input: Operations.SubmitEnvelope.Input) async throws -> Operations.SubmitEnvelope.Output {
        guard case let .binary(body) = input.body else { throw RelayError.badRequest("malformed", "expected application/octet-stream") }
        let bytes: [UInt8]
        do {
            bytes = try await [UInt8](collecting: body, upTo: relay.configuration.maxEnvelopeBytes)
        } catch {
            throw RelayError.tooLarge(relay.configuration.maxEnvelopeBytes)
        }
        let (envelope, duplicate) = try await relay.submit(bytes)
        let response = Components.Schemas.SubmitResponse(envelopeId: envelope.id.hex, duplicate: duplicate, expiresAt: Int64(envelope.expiresAt))
        return duplicate ? .ok(.init(body: .json(response))) : .created(.init(body: .json(response)))
    }

    func listInbox(_ input: Operations.ListInbox.Input) async throws -> Operations.ListInbox.Output {
        let (entries, cursor) = try await relay.inbox(limit: input.query.limit, wait: input.query.wait, after: input.query.after)
        return .ok(.init(body: .json(.init(envelopes: entries.map {
            .init(envelopeId: $0.envelopeID.hex, senderDeviceId: $0.senderDevice.hex, senderOrganisationId: $0.senderOrganisation.hex,
                  size: Int64($0.byteCount), submittedAt: Int64($0.submittedAt), expiresAt: Int64($0.expiresAt),
                  coverKind: $0.coverKind?.name)
        }, cursor: cursor))))
    }

    func fetchEnvelope(_ input: Operations.FetchEnvelope.Input) async throws -> Operations.FetchEnvelope.Output {
        let bytes = try await relay.fetch(input.path.envelopeId)
        return .ok(.init(body: .binary(HTTPBody(bytes))))
    }

    func getEnvelopeStatus(_ input: Operations.GetEnvelopeStatus.Input) async throws -> Operations.GetEnvelopeStatus.Output {
        let s = try await relay.status(input.path.envelopeId)
        return .ok(.init(body: .json(.init(addressed: s.addressed, delivered: s.delivered, acknowledged: s.acknowledged,
                                           deletedAt: s.deletedAt.map { Int64(clamping: $0) }, expiresAt: Int64(clamping: s.expiresAt)))))
    }

    func acknowledgeEnvelope(_ input: Operations.AcknowledgeEnvelope.Input) async throws -> Operations.AcknowledgeEnvelope.Output {
        let deleted = try await relay.acknowledge(input.path.envelopeId)
        return .ok(.init(body: .json(.init(deleted: deleted))))
    }

    func putConsent(_ input: Operations.PutConsent.Input) async throws -> Operations.PutConsent.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let consent = try await relay.putConsent(try Self.signedObject(body))
        return .created(.init(body: .json(.init(consentId: consent.consentId.hex))))
    }

    func withdrawConsent(_ input: Operations.WithdrawConsent.Input) async throws -> Operations.WithdrawConsent.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let outcome = try await relay.withdrawConsent(input.path.consentId, try Self.signedObject(body))
        return .ok(.init(body: .json(.init(deletedEnvelopes: outcome.deletedEnvelopes.count,
                                           notifiedOrganisations: outcome.notifiedOrganisations.count))))
    }

    func putDeclaration(_ input: Operations.PutDeclaration.Input) async throws -> Operations.PutDeclaration.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let declaration = try await relay.putDeclaration(try Self.signedObject(body))
        return .created(.init(body: .json(.init(declarationId: declaration.declarationId.hex))))
    }

    func putOutsideReport(_ input: Operations.PutOutsideReport.Input) async throws -> Operations.PutOutsideReport.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        let report = try await relay.putOutsideReport(try Self.signedObject(body))
        return .created(.init(body: .json(.init(reportId: report.reportId.hex))))
    }

    func listNotices(_ input: Operations.ListNotices.Input) async throws -> Operations.ListNotices.Output {
        .ok(.init(body: .json(.init(withdrawals: try await relay.notices().map { Self.schema($0) }))))
    }

    func getCheckpoint(_ input: Operations.GetCheckpoint.Input) async throws -> Operations.GetCheckpoint.Output {
        .ok(.init(body: .plainText(HTTPBody(try await relay.servedCheckpoint()))))
    }

    func getLogEntries(_ input: Operations.GetLogEntries.Input) async throws -> Operations.GetLogEntries.Output {
        guard input.query.start >= 0, input.query.end >= 0 else { throw RelayError.badRequest("range", "indexes are not negative") }
        let entries = try await relay.logEntries(start: UInt64(input.query.start), end: UInt64(input.query.end))
        return .ok(.init(body: .json(.init(entries: entries.map(Base64.encode)))))
    }

    func getInclusionProof(_ input: Operations.GetInclusionProof.Input) async throws -> Operations.GetInclusionProof.Output {
        guard input.query.index >= 0, input.query.size >= 0 else { throw RelayError.badRequest("range", "indexes are not negative") }
        let (proof, entry) = try await relay.inclusion(index: UInt64(input.query.index), size: UInt64(input.query.size))
        return .ok(.init(body: .json(.init(proof: proof.map(Base64.encode), entry: Base64.encode(entry)))))
    }

    func getDirectoryEntries(_ input: Operations.GetDirectoryEntries.Input) async throws -> Operations.GetDirectoryEntries.Output {
        guard input.query.from >= 0 else { throw RelayError.badRequest("range", "indexes are not negative") }
        let entries = try await relay.directoryEntries(organisation: input.path.organisationId, from: UInt64(input.query.from))
        return .ok(.init(body: .json(.init(entries: entries.map { .init(index: Int64($0.index), entry: Base64.encode($0.bytes)) }))))
    }

    func getConsistencyProof(_ input: Operations.GetConsistencyProof.Input) async throws -> Operations.GetConsistencyProof.Output {
        guard input.query.first >= 0, input.query.second >= 0 else { throw RelayError.badRequest("range", "indexes are not negative") }
        let proof = try await relay.consistencyProof(from: UInt64(input.query.first), to: UInt64(input.query.second))
        return .ok(.init(body: .json(.init(proof: proof.map(Base64.encode)))))
    }

    // MARK: conversions

    static func signedObject(_ s: Components.Schemas.SignedObject) throws -> SignedObject {
        guard let bytes = Base64.decode(s.bytes), let signature = Base64.decode(s.signature), signature.count == 64 else {
            throw RelayError.badRequest("signed_object", "bytes and signature must be canonical base64, the signature 64 bytes")
        }
        return SignedObject(bytes: bytes, signature: signature)
    }

    static func schema(_ s: SignedObject, logIndex: UInt64? = nil) -> Components.Schemas.SignedObject {
        .init(bytes: Base64.encode(s.bytes), signature: Base64.encode(s.signature), logIndex: logIndex.map { Int64($0) })
    }

    static func status(_ d: StoredDevice) -> Components.Schemas.DeviceStatusResponse {
        .init(deviceId: d.id.hex, status: .init(rawValue: d.status.rawValue)!, role: .init(rawValue: d.role.rawValue)!,
              organisationId: d.organisationID?.hex)
    }

    /// A directory device with the log index of each record it carries (SPEC.md, "Directory records").
    static func entry(_ e: Relay.DirectoryDevice) -> Components.Schemas.DeviceEntry {
        let d = e.device
        return .init(deviceId: d.id.hex, status: .init(rawValue: d.status.rawValue)!, role: .init(rawValue: d.role.rawValue)!,
                     organisationId: d.organisationID?.hex, publicKey: Hex.encode(d.publicKey),
                     record: d.record.map { schema($0, logIndex: e.logIndexes.record) },
                     revocation: d.revocation.map { schema($0, logIndex: e.logIndexes.revocation) },
                     signedPrekey: e.prekey.map { Base64.encode($0.record) }, signedPrekeyLogIndex: e.prekeyLogIndex.map { Int64($0) })
    }
}
