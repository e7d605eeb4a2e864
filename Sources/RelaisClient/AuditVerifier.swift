public import Foundation
import RelaisCore
import RelaisCrypto

/// What `relais audit verify` found: the verified checkpoint, counts, and compliance findings.
public struct AuditReport: Codable, Sendable {
    public struct Finding: Codable, Sendable, Equatable {
        public var rule: String
        public var index: UInt64
        public var message: String
        /// The organisation (hex id) whose device acted in the entry, or that the entry changed;
        /// nil when the relay itself is at fault (a late purge) or the entry names none.
        public var organisation: String? = nil
    }
    public var origin: String
    public var size: UInt64
    public var root: String
    public var previousSize: UInt64?
    public var eventsByKind: [String: Int]
    public var submissionsByOrganisation: [String: Int]
    public var checksByRule: [String: Int]
    public var findings: [Finding]
    public var verifiedAt: UInt64
    /// An invite issued and neither redeemed nor expired at `verifiedAt` (no secret: the log has none).
    public struct OutstandingInvite: Codable, Sendable, Equatable {
        public var invite: String
        public var role: String
        public var organisation: String?
        /// The issuing device; absent for the relay's own operator invite.
        public var issuedBy: String?
        public var issuedAt: UInt64
        public var expiresAt: UInt64
    }
    public var outstandingInvites: [OutstandingInvite] = []
    /// Invites issued and never redeemed whose expiry has passed (the relay keeps them unusable).
    public var expiredInvites = 0
    /// Envelopes submitted per ISO week of `timeZone` ("2026-W49") and kind of exchange: counters
    /// only, whatever the log's size (`ExchangeKind`).
    public var exchangesByWeek: [String: [String: Int]] = [:]
    /// Envelopes addressed to each organisation (hex id), counted once per submission.
    public var receivedByOrganisation: [String: Int] = [:]
    /// The names the operator signed for the organisations the report mentions (hex id to name);
    /// an organisation without a verified record keeps its id only.
    public var organisationNames: [String: String] = [:]
    /// The time zone of the weeks and of the dates shown (`TZ`, Europe/Paris when unset).
    public var timeZone = "Europe/Paris"

    /// What an exchange was, as far as the log tells without reading it: the kind of cover it
    /// named, and whether the relay's rule made it an answer to the cover's organisation.
    public enum ExchangeKind: String, Codable, Sendable, CaseIterable {
        case referral, answer, exitProgrammeRequest, childProtectionReport
    }

    /// The ISO 8601 week of `time` in `calendar` (an ISO 8601 calendar in the report's zone): "2026-W49".
    public static func isoWeek(_ time: UInt64, calendar: Calendar) -> String {
        let c = calendar.dateComponents([.yearForWeekOfYear, .weekOfYear], from: Date(timeIntervalSince1970: TimeInterval(time)))
        let year = c.yearForWeekOfYear ?? 0, week = c.weekOfYear ?? 0
        return "\(year)-W\(week < 10 ? "0" : "")\(week)"
    }

    /// An ISO 8601 calendar (weeks from Monday, week 1 holding the year's first Thursday) in `zone`.
    public static func weekCalendar(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        calendar.firstWeekday = 2
        calendar.minimumDaysInFirstWeek = 4
        return calendar
    }
}

extension LocalDevice {
    static func auditStatePath(_ dir: String) -> String { dir + "/audit-state.json" }

    struct AuditState: Codable {
        var size: UInt64
        var root: String
    }

    /// Verifies the relay's audit log: the checkpoint's signature by the pinned log key, the root
    /// recomputed from every entry, consistency with the last checkpoint this profile verified
    /// (a smaller log is a rollback, an inconsistent one a fork), and the compliance rules.
    /// Integrity failures throw; compliance failures are findings in the report.
    public func verifyAuditLog(purgeInterval: UInt64 = 60, timeZone: TimeZone = LocalTime.zone(), progress: (UInt64, UInt64) -> Void = { _, _ in }) async throws -> AuditReport {
        try await requireActive()
        guard settings.role == .auditor else { throw LocalError.usage(Message.auditorOnlyReadsLog.text) }
        guard let vkText = logVerifierKey, let verifier = try? CheckpointVerifierKey(parsing: vkText) else {
            throw LocalError.verification(Message.auditNoLogKey.text)
        }
        let note = try await client.checkpoint()
        let checkpoint: Checkpoint
        do {
            checkpoint = try Checkpoint.verify(note: note, verifier: verifier)
        } catch {
            throw LocalError.verification(Message.auditCheckpointUnsigned(detail: "\(error)").text)
        }
        // Download every entry and recompute the root through the tree's right frontier: memory does
        // not depend on the log's size. The root at the size this auditor verified before is taken on the way.
        let statePath = Self.auditStatePath(directory)
        var previous: AuditState?
        if let data = FileManager.default.contents(atPath: statePath) { previous = try JSONDecoder().decode(AuditState.self, from: data) }
        var tree = MerkleFrontier()
        var recomputedOld: [UInt8]? = previous?.size == 0 ? MerkleHashing.emptyRoot : nil
        // The rules are replayed as the pages arrive: only what they need is kept, not the entries.
        // A malformed entry is reported after the root is checked (an altered log is a mismatch first).
        var replay = ComplianceReplay(purgeInterval: purgeInterval, timeZone: timeZone)
        var malformed: (any Error)?
        while tree.size < checkpoint.size {
            let page: [[UInt8]]
            do {
                page = try await client.logEntries(start: tree.size, end: min(checkpoint.size, tree.size + 10_000))
            } catch let error as ClientError where error.status == 429 {
                try await Task.sleep(for: .seconds(1))  // the relay's rate limit: wait and ask again
                continue
            }
            guard !page.isEmpty else {
                throw LocalError.verification(Message.auditLogIncomplete(index: tree.size, size: checkpoint.size).text)
            }
            for e in page {
                try tree.append(leafHash: MerkleHashing.leafHash(e))
                if tree.size == previous?.size { recomputedOld = tree.root }
                if malformed == nil {
                    do { try replay.add(e) } catch { malformed = error }
                }
            }
            progress(tree.size, checkpoint.size)
        }
        guard tree.root == checkpoint.root else {
            throw LocalError.verification(Message.auditRootMismatch(size: checkpoint.size).text)
        }
        // Against the last checkpoint this auditor verified.
        if let previous {
            guard checkpoint.size >= previous.size else {
                throw LocalError.verification(Message.auditRollback(size: checkpoint.size, previous: previous.size).text)
            }
            let oldRoot = Hex.decode(previous.root) ?? []
            let proof = try await client.consistencyProof(first: previous.size, second: checkpoint.size)
            let recomputedOld = recomputedOld ?? []  // previous.size <= checkpoint.size: the frontier passed it
            do {
                if previous.size > 0, previous.size < checkpoint.size {
                    try MerkleTree.verifyConsistency(size1: previous.size, size2: checkpoint.size, root1: oldRoot, root2: checkpoint.root, proof: proof)
                }
                guard recomputedOld == oldRoot else { throw AuditLogError.rootMismatch(size: previous.size, expected: oldRoot, calculated: recomputedOld) }
            } catch {
                throw LocalError.verification(Message.auditFork(previous: previous.size, detail: "\(error)").text)
            }
        }
        if let malformed { throw malformed }
        var report = replay.finish(now: clock.now())
        report.origin = checkpoint.origin
        report.size = checkpoint.size
        report.root = Hex.encode(checkpoint.root)
        report.previousSize = previous?.size
        let state = AuditState(size: checkpoint.size, root: Hex.encode(checkpoint.root))
        try Keystore.writeAtomically(Array(try JSONEncoder().encode(state)), to: statePath)
        return report
    }

    /// The compliance rules of SPEC.md, "Audit log": consent coverage, no delivery after expiry,
    /// purge on time, directory changes signed by the right authority.
    /// `clockSkew` is how far a consent's grant may lie after a submission (the relay's
    /// `--clock-skew`, `CoverPolicy.defaultSkew` by default): the relay accepts that much, so the auditor does too.
    /// Exchanges are counted per ISO week of `timeZone`.
    static func compliance(entries: [[UInt8]], purgeInterval: UInt64, now: UInt64, clockSkew: UInt64 = CoverPolicy.defaultSkew,
                           timeZone: TimeZone = LocalTime.zone()) throws -> AuditReport {
        var replay = ComplianceReplay(purgeInterval: purgeInterval, clockSkew: clockSkew, timeZone: timeZone)
        for bytes in entries { try replay.add(bytes) }
        return replay.finish(now: now)
    }
}

/// The compliance rules replayed entry by entry, as the entries arrive (`LocalDevice.compliance`):
/// it keeps what the rules need (keys, records, consents, each live envelope's expiry and
/// recipients) and the report's counters, never the entries themselves.
struct ComplianceReplay {
    private(set) var report = AuditReport(origin: "", size: 0, root: "", previousSize: nil, eventsByKind: [:], submissionsByOrganisation: [:],
                                          checksByRule: [:], findings: [], verifiedAt: 0)
    let purgeInterval: UInt64
    /// How far a consent's grant may lie after a submission (the relay's `--clock-skew`).
    let clockSkew: UInt64
    let weeks: Calendar
    /// The index of the next entry.
    private var next = 0
    /// The organisation a finding of the current entry is about (see `Finding.organisation`).
    private var concerned: OrganisationID?
    private var keys: [DeviceID: (key: Ed25519PublicKey, role: DeviceRole?, organisation: OrganisationID?)] = [:]
    private var operatorKey: Ed25519PublicKey?
    private var categories: [OrganisationID: PartnerCategory] = [:]
    /// The operator-signed organisation records of `organisationPut` entries: their accreditations.
    private var records: [OrganisationID: OrganisationRecord] = [:]
    struct Invite { let issuer: DeviceID?; let role: DeviceRole; let organisation: OrganisationID?; let issuedAt, expiresAt: UInt64; var redeemed: Bool }
    private var invites: [InviteID: Invite] = [:]
    private var consents: [ConsentID: (ConsentPublic, withdrawnAt: UInt64?)] = [:]
    private var declarations: [ConsentID: ChildProtectionDeclaration] = [:]
    private var reportsUnder: [ConsentID: Int] = [:]
    private var sentUnder: [ConsentID: Set<OrganisationID>] = [:]
    private var expiry: [EnvelopeID: (UInt64, Int)] = [:]
    private var recipientsOf: [EnvelopeID: Set<OrganisationID>] = [:]
    private var closed = Set<EnvelopeID>()
    /// The latest entry time seen: an envelope closed and past its expiry by more than the purge
    /// interval is retired (forgotten), so the state holds the envelopes of one expiry window, not of
    /// the whole log; a later delivery of a retired envelope is a finding as an unknown one is.
    private var latest: UInt64 = 0
    private var outsideReports = Set<OutsideReportID>()
    private var revokedDevices = Set<DeviceID>()
    private let slack: UInt64 = 60
    private let decoder = JSONDecoder()

    /// Exchanges are counted per ISO week of `timeZone`.
    init(purgeInterval: UInt64, clockSkew: UInt64 = CoverPolicy.defaultSkew, timeZone: TimeZone) {
        self.purgeInterval = purgeInterval
        self.clockSkew = clockSkew
        weeks = AuditReport.weekCalendar(timeZone)
        report.timeZone = timeZone.identifier
    }

    private mutating func check(_ rule: String, _ ok: Bool, _ index: Int, _ message: @autoclosure () -> String) {
        report.checksByRule[rule, default: 0] += 1
        if !ok { report.findings.append(.init(rule: rule, index: UInt64(index), message: message(), organisation: concerned?.hex)) }
    }

    private func enroller(_ id: DeviceID?) -> DirectoryRules.Enroller? {
        id.flatMap { keys[$0] }.flatMap { k in k.role.map { DirectoryRules.Enroller(role: $0, organisation: k.organisation) } }
    }

    private func accredited(_ o: OrganisationID, departement: String?, at time: UInt64) -> Bool {
        DirectoryRules.isAccreditedForExitProgramme(records[o], departement: departement, at: time)
    }

    /// Replays the next entry; a malformed one throws.
    mutating func add(_ bytes: [UInt8]) throws {
        let i = next
        next += 1
        // The root already covers every byte; the auditor needs the fields, decoded once.
        let e: AuditEvent
        do { e = try AuditEvent.decodeForAudit(bytes, decoder: decoder) } catch { throw LocalError.verification(Message.auditEntryMalformed(index: UInt64(i), detail: "\(error)").text) }
        report.eventsByKind[e.kind.rawValue, default: 0] += 1
        latest = max(latest, e.time)
        if i % 4_096 == 4_095 { retireClosedEnvelopes() }
        concerned = e.organisation
        switch e.kind {
        case .inviteIssued:
            guard let id = e.invite, let role = e.role, let expires = e.expiresAt else {
                check("enrolment-invites", false, i, "an invite entry without its invite, role or expiry")
                return
            }
            let issuer = enroller(e.actor)
            check("enrolment-invites", (e.actor == nil) == (role == .operator) && (e.actor == nil || issuer != nil)
                      && DirectoryRules.mayEnrol(issuer, role: role, organisation: e.organisation) && invites[id] == nil, i,
                  "invite \(id) for a \(role.rawValue) was issued by \(e.actor?.hex ?? "the relay"), which may not enrol it (or the invite was issued twice)")
            invites[id] = Invite(issuer: e.actor, role: role, organisation: e.organisation, issuedAt: e.time, expiresAt: expires, redeemed: false)
        case .deviceEnrolled, .deviceActivated:
            if e.kind == .deviceEnrolled, let inviteID = e.invite {
                // Entries logged before invites were (SPEC.md) name no invite: nothing to compare them with.
                let invite = invites[inviteID]
                let enrollerMatches = invite.map { $0.issuer == nil ? e.actor == e.device : e.actor == $0.issuer } ?? false
                check("enrolment-invites", invite.map { !$0.redeemed && e.time < $0.expiresAt && $0.role == e.role && $0.organisation == e.organisation } == true
                          && enrollerMatches, i,
                      "device \(e.device?.hex ?? "?") enrolled with invite \(inviteID), which was not issued for it in the log, already redeemed, expired, or for another role or organisation")
                invites[inviteID]?.redeemed = true
            }
            if let d = e.device, let pk = e.publicKey.flatMap(Hex.decode), let key = try? Ed25519PublicKey(bytes: pk) {
                keys[d] = (key, e.role, e.organisation)
            }
            if e.kind == .deviceActivated, let d = e.device, let record = e.signedRecord {
                if e.role == .operator, e.actor == d { operatorKey = keys[d]?.key }
                let signer = e.actor.flatMap { keys[$0] }
                let ok = signer.map { record.isSigned(by: $0.key, context: .deviceRecord) } ?? false
                let authority = e.role.map { role in
                    role == .operator ? e.actor == d && DirectoryRules.mayEnrol(nil, role: role, organisation: e.organisation)
                        : DirectoryRules.mayEnrol(enroller(e.actor), role: role, organisation: e.organisation)
                } ?? false
                check("directory-signatures", ok && authority, i, "device \(d) was activated with a record not signed by an authority that may enrol it")
            }
        case .organisationPut:
            if let o = e.organisation, let c = e.category { categories[o] = c }
            let ok = operatorKey.map { key in e.signedRecord.map { $0.isSigned(by: key, context: .organisationRecord) } ?? false } ?? false
            if let o = e.organisation {
                // Only what the operator signed accredits (a record that does not verify accredits nothing).
                let record = operatorKey.flatMap { key in e.signedRecord.flatMap { try? OrganisationRecord.verify($0, operatorKey: key) } }
                records[o] = record?.id == o ? record : nil
            }
            check("directory-signatures", ok, i, "organisation \(e.organisation?.hex ?? "?") was changed without the operator's signature")
        case .deviceRevoked:
            if let d = e.device { revokedDevices.insert(d) }
            concerned = e.device.flatMap { keys[$0]?.organisation } ?? e.organisation
            let signed = e.signedRecord
            let revoker = signed.flatMap { try? DeviceRevocation.unverifiedSigner(of: $0) }.flatMap { keys[$0] }
            let ok = revoker.map { r in signed!.isSigned(by: r.key, context: .deviceRevocation) } ?? false
            check("directory-signatures", ok, i, "device \(e.device?.hex ?? "?") was revoked without a valid revocation")
            let target = e.device.flatMap { keys[$0] }
            let allowed = revoker.flatMap { r in r.role.map { DirectoryRules.Enroller(role: $0, organisation: r.organisation) } }.map { r in
                target.flatMap { t in t.role.map { DirectoryRules.mayRevoke(r, role: $0, organisation: t.organisation) } } ?? false
            } ?? false
            check("revocation-authority", allowed, i,
                  "device \(e.device?.hex ?? "?") was revoked by a device that may not revoke it (an admin of another organisation, or not an admin)")
        case .consentGranted:
            if let c = e.consent, let record = e.signedRecord, let recorder = e.actor.flatMap({ keys[$0] }),
               let p = try? ConsentPublic.verify(record, signer: DevicePublicIdentity(signingKey: recorder.key)) {
                consents[c] = (p, nil)
            }
        case .consentWithdrawn:
            if let c = e.consent { consents[c]?.withdrawnAt = e.time }
        case .declarationMade:
            // The signed declaration is in the entry: its limits are checked as the relay checks them.
            if let d = e.consent, let record = e.signedRecord, let declarer = e.actor.flatMap({ keys[$0] }),
               let declaration = try? ChildProtectionDeclaration.verify(record, signer: DevicePublicIdentity(signingKey: declarer.key)),
               declaration.declarationId == d, declaration.organisationId == e.organisation {
                declarations[d] = declaration
            }
        case .envelopeSubmitted:
            guard let id = e.envelope, let org = e.organisation, let cid = e.consent, let kind = e.consentKind else {
                check("consent-coverage", false, i, "submission without its envelope, sender or consent")
                return
            }
            report.submissionsByOrganisation[org.hex, default: 0] += 1
            expiry[id] = (e.expiresAt ?? 0, i)
            let recipients = e.recipientOrganisations ?? []
            recipientsOf[id] = Set(recipients)
            let cover: CoverPolicy.Cover
            let facts = consents[cid].map { CoverPolicy.ConsentFacts($0.0, withdrawnAt: $0.withdrawnAt) }
            switch ConsentReference.Kind(rawValue: kind) {
            case .consent?: cover = .consent(facts)
            case .exitProgrammeConsent?: cover = .exitProgrammeConsent(facts)
            case .childProtectionDeclaration?:
                cover = .childProtectionDeclaration(declarations[cid].map { CoverPolicy.DeclarationFacts($0, reportsSent: reportsUnder[cid, default: 0]) })
            case nil:
                check("consent-coverage", false, i, "envelope \(id) names an unknown kind of cover (\(kind))")
                return
            }
            // An organisation the log does not know has no category: it is covered by no category.
            // Accreditation is for the consent's département (`DirectoryRules`, as the relay and the client).
            let departement = facts?.departement
            let decision = CoverPolicy.check(.init(
                cover: cover, sender: org, senderAccreditedForExitProgramme: accredited(org, departement: departement, at: e.time),
                recipients: recipients.map {
                    .init(id: $0, category: categories[$0] ?? .specialisedAssociation,
                          accreditedForExitProgramme: accredited($0, departement: departement, at: e.time))
                },
                sentUnderCover: sentUnder[cid] ?? [], time: e.time, skew: clockSkew))
            let refusal = decision.refusal
            let exchange: AuditReport.ExchangeKind = switch ConsentReference.Kind(rawValue: kind) {
            case _ where decision == .allowed(answer: true): .answer
            case .exitProgrammeConsent?: .exitProgrammeRequest
            case .childProtectionDeclaration?: .childProtectionReport
            default: .referral
            }
            report.exchangesByWeek[AuditReport.isoWeek(e.time, calendar: weeks), default: [:]][exchange.rawValue, default: 0] += 1
            for r in Set(recipients) { report.receivedByOrganisation[r.hex, default: 0] += 1 }
            let unknownRecipient = recipients.contains { categories[$0] == nil }
            // An exit-programme request on a consent that does not attest majority (version 1)
            // is refused as outside the consent's purpose; the auditor names its own rule.
            let adultsOnly = ConsentReference.Kind(rawValue: kind) == .exitProgrammeConsent && facts.map { $0.exitProgramme && !$0.attestsAdult } == true
                && refusal?.code == .consentPurpose
            let accreditation = !adultsOnly && (refusal.map { $0.code == .notAccredited || $0.code == .consentPurpose } ?? false)
            check("consent-coverage", (refusal == nil || accreditation || adultsOnly) && !unknownRecipient, i,
                  "envelope \(id) under \(cid) was not allowed at that time: \(refusal.map { "\($0.code.rawValue), \($0.message)" } ?? "a recipient organisation is not in the log's directory")")
            if ConsentReference.Kind(rawValue: kind) == .exitProgrammeConsent {
                check("exit-programme-adults-only", !adultsOnly, i,
                      "exit-programme request \(id) rests on consent \(cid), which does not attest that the person is of age (version 1): the programme is for «toute personne majeure» (consent_purpose)")
                check("exit-programme-accreditation", !accreditation, i,
                      "exit-programme request \(id) was sent when neither its sender nor every recipient was an association accredited \(departement.map { "in département \($0)" } ?? "in any département"), or under a consent without the exit programme (\(refusal?.code.rawValue ?? ""))")
                // A version 1 exit-programme consent names no département: the relay could check
                // accreditation only in some département, not the person's (answers need none).
                if let facts, facts.exitProgramme, decision != .allowed(answer: true) {
                    check("exit-programme-departement", facts.departement != nil, i,
                          "exit-programme request \(id) rests on consent \(cid), which names no département (version 1): accreditation was checked in any département, not the person's")
                }
            }
            // As the relay's store counts: every submission of the declaring organisation under it.
            if ConsentReference.Kind(rawValue: kind) == .childProtectionDeclaration, declarations[cid]?.organisationId == org {
                reportsUnder[cid, default: 0] += 1
            }
            sentUnder[cid, default: []].formUnion(recipients)
        case .envelopeDelivered, .envelopeAcknowledged:
            let what = e.kind == .envelopeDelivered ? "delivered" : "acknowledged"
            concerned = e.device.flatMap { keys[$0]?.organisation }
            if let id = e.envelope, let (exp, _) = expiry[id] {
                check("no-delivery-after-expiry", e.time < exp && !closed.contains(id), i,
                      "envelope \(id) was \(what) at \(e.time), after its expiry \(exp) or its deletion")
                let org = e.device.flatMap { keys[$0]?.organisation }
                check("delivered-to-recipients", org.map { recipientsOf[id]?.contains($0) ?? false } ?? false, i,
                      "envelope \(id) was \(what) by device \(e.device?.hex ?? "?"), which is not in one of its recipient organisations")
            } else if let id = e.envelope {
                check("no-delivery-after-expiry", false, i,
                      "envelope \(id) was \(what) at \(e.time), but the log has no submission of it still live (never submitted, or purged after its expiry)")
            }
        case .envelopeExpired:
            if let id = e.envelope, let (exp, _) = expiry[id] {
                check("purged-on-time", e.time <= exp + purgeInterval + slack, i,
                      "envelope \(id) expired at \(exp) but was purged only at \(e.time)")
                closed.insert(id)
            }
        case .envelopeDeleted, .envelopeDeletedByWithdrawal:
            if let id = e.envelope { closed.insert(id) }
        case .prekeyPublished:
            break
        case .outsideReportRecorded:
            // SPEC.md, "Report made outside Relais": the record the relay accepted, checked as it checks it.
            let recorder = e.actor.flatMap { keys[$0] }
            let report = e.signedRecord.flatMap { r in recorder.flatMap { try? OutsideReportRecord.verify(r, signer: DevicePublicIdentity(signingKey: $0.key)) } }
            let valid = report.map { (try? $0.check(at: e.time, skew: clockSkew)) != nil } ?? false
            // The relay takes a record only from an active device: one revoked earlier in the log is a finding.
            let active = e.actor.map { !revokedDevices.contains($0) } ?? false
            check("outside-reports", report != nil && valid && report?.organisationId == e.organisation && recorder?.organisation == e.organisation
                      && e.organisation != nil && active && report.map { outsideReports.insert($0.reportId).inserted } == true, i,
                  "outside report entry \(i) is not a record signed by an active device of its organisation, valid at that time, with a new id")
        }
    }

    /// Forgets the envelopes closed (deleted or purged) whose expiry lies more than the purge interval
    /// before the latest entry: no rule needs them any more.
    private mutating func retireClosedEnvelopes() {
        for id in closed {
            if let (exp, _) = expiry[id] {
                let (retiredAt, overflow) = exp.addingReportingOverflow(purgeInterval &+ slack)
                guard !overflow, retiredAt < latest else { continue }
            }
            expiry[id] = nil
            recipientsOf[id] = nil
            closed.remove(id)
        }
    }

    /// The report, with the findings that only the end of the log shows (purges not done by `now`)
    /// and the invites still outstanding at `now`.
    mutating func finish(now: UInt64) -> AuditReport {
        report.verifiedAt = now
        concerned = nil  // a late purge is the relay's
        for (id, (exp, i)) in expiry where !closed.contains(id) && exp + purgeInterval + slack < now {
            check("purged-on-time", false, i, "envelope \(id) expired at \(exp) and has not been purged")
        }
        for (id, invite) in invites.sorted(by: { $0.value.issuedAt < $1.value.issuedAt }) where !invite.redeemed {
            if invite.expiresAt <= now {
                report.expiredInvites += 1
            } else {
                report.outstandingInvites.append(.init(invite: id.hex, role: invite.role.rawValue, organisation: invite.organisation?.hex,
                                                       issuedBy: invite.issuer?.hex, issuedAt: invite.issuedAt, expiresAt: invite.expiresAt))
            }
        }
        let mentioned = Set(report.submissionsByOrganisation.keys).union(report.receivedByOrganisation.keys)
            .union(report.findings.compactMap(\.organisation)).union(report.outstandingInvites.compactMap(\.organisation))
        for (id, record) in records where mentioned.contains(id.hex) { report.organisationNames[id.hex] = record.name }
        return report
    }
}
