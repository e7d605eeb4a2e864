import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Admin: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        abstract: Message.adminAbstract.text,
        subcommands: [CreateOrganisation.self, Invite.self, Pending.self, Approve.self, Devices.self, Revoke.self]) }
}

extension Admin {
    struct CreateOrganisation: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(
            commandName: "create-org",
            abstract: Message.createOrgAbstract.text,
            discussion: AdminText.createOrgDiscussion.text) }
        @OptionGroup var options: ProfileOptions
        @Option(help: ArgumentHelp(AdminText.createOrgOrgHelp.text)) var org: String?
        @Option(help: ArgumentHelp(AdminText.createOrgNameHelp.text)) var name: String
        @Option(help: ArgumentHelp(Message.directoryCategoryHelp.text)) var category: PartnerCategory
        @Option(name: .customLong("departement"), help: ArgumentHelp(AdminText.createOrgDepartementHelp.text)) var departements: [String] = []
        @Flag(help: ArgumentHelp(AdminText.createOrgNationalHelp.text)) var national = false
        @Option(name: .customLong("public"), help: ArgumentHelp(AdminText.createOrgPublicHelp.text)) var publics: [String] = []
        @Flag(help: ArgumentHelp(AdminText.createOrgMinorsHelp.text)) var minors = false
        @Option(help: ArgumentHelp(AdminText.createOrgMinAgeHelp.text)) var minAge: Int?
        @Option(help: ArgumentHelp(AdminText.createOrgMaxAgeHelp.text)) var maxAge: Int?
        @Flag(help: ArgumentHelp(AdminText.createOrgTraffickingOnlyHelp.text)) var traffickingOnly = false
        @Option(name: .customLong("language"), help: ArgumentHelp(AdminText.createOrgLanguageHelp.text)) var languages: [String] = []
        @Option(name: .customLong("service"), help: ArgumentHelp(Message.directoryNeedHelp.text))
        var services: [Referral.Need] = []
        @Option(help: ArgumentHelp(AdminText.createOrgPhoneHelp.text)) var phone: String?
        @Option(help: ArgumentHelp(AdminText.createOrgHoursHelp.text)) var hours: String?
        @Option(name: .customLong("accreditation"),
                help: ArgumentHelp(AdminText.createOrgAccreditationHelp.text))
        var accreditations: [String] = []
        @Option(help: ArgumentHelp(AdminText.createOrgExitProgrammeUntilHelp.text))
        var exitProgrammeUntil: String?

        func run() async throws {
            try await guarded {
                let cat = category
                let groups = try publics.map {
                    guard let g = OrganisationRecord.ServedGroup(rawValue: $0), g != .minors else {
                        throw ValidationError(AdminText.publicValues.text)
                    }
                    return g
                }
                let served = Set(groups.isEmpty ? [.women, .men, .trans] : groups)
                let needs = services
                var accredited = try accreditations.map(Self.accreditation)
                if let exitProgrammeUntil {
                    let until = try Self.day(exitProgrammeUntil, "--exit-programme-until")
                    let today = UInt64(Date().timeIntervalSince1970)
                    accredited += departements.map { .init(departement: $0, from: today, until: until) }
                }
                let device = try options.open()
                var id: OrganisationID?
                if let org { id = try await device.resolveOrganisation(org) }
                // The id, sequence and issue time are publishOrganisation's to set.
                let draft = OrganisationRecord(
                    id: id ?? OrganisationID(bytes: Array(repeating: 0, count: 16))!, name: name, category: cat, departements: departements,
                    nationalScope: national,
                    publicServed: .init(women: served.contains(.women), men: served.contains(.men), transPeople: served.contains(.trans),
                                        minAge: minAge, maxAge: maxAge, minorsAccepted: minors, traffickingVictimsOnly: traffickingOnly),
                    languages: languages.isEmpty ? ["fr"] : languages, services: needs, phone: phone, openingHours: hours,
                    exitProgrammeAccreditations: accredited, issuedAt: 0)
                do {
                    try draft.validate()
                } catch {
                    throw ValidationError(AdminText.organisationInvalid(detail: "\(error)").text)
                }
                let record = try await device.publishOrganisation(draft, replacing: id)
                try emit(options.json, ["organisationId": record.id.hex, "sequence": String(record.sequence)]) {
                    Message.organisationPublished(created: id == nil, id: record.id.hex, name: record.name).text
                }
            }
        }

        /// `93:2026-01-01:2028-12-31`.
        static func accreditation(_ text: String) throws -> OrganisationRecord.ExitProgrammeAccreditation {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else { throw ValidationError(AdminText.accreditationFormat.text) }
            return .init(departement: parts[0], from: try day(parts[1], "--accreditation"), until: try day(parts[2], "--accreditation"))
        }

        static func day(_ text: String, _ option: String) throws -> UInt64 {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            guard let d = f.date(from: text) else { throw ValidationError(AdminText.datesFormat(option: option).text) }
            return UInt64(d.timeIntervalSince1970)
        }
    }

    struct Invite: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.inviteAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Option(help: ArgumentHelp(AdminText.inviteRoleHelp.text)) var role: DeviceRole
        @Option(help: ArgumentHelp(AdminText.inviteOrgHelp.text)) var org: String?

        func run() async throws {
            try await guarded {
                let r = role
                guard r != .operator else { throw ValidationError(AdminText.inviteRoleValues.text) }
                let device = try options.open()
                var organisation: OrganisationID?
                if let org { organisation = try await device.resolveOrganisation(org) }
                let (code, expires) = try await device.invite(role: r, organisation: organisation)
                // The invite is a secret meant for one person: shown once, handed over out of band.
                try emit(options.json, ["invite": code.description, "expiresAt": String(expires)]) {
                    Message.inviteIssued(until: date(expires), code: code.description).text
                }
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.pendingAbstract.text) }
        @OptionGroup var options: ProfileOptions

        func run() async throws {
            try await guarded {
                let list = try await options.open().pendingEnrolments()
                struct Out: Encodable { let deviceId, role, fingerprint: String; let organisationId, organisationName, mismatch: String? }
                try emit(options.json, list.map { p in
                    Out(deviceId: p.enrolment.deviceID.hex, role: p.enrolment.role.rawValue, fingerprint: Fingerprint(of: p.enrolment.publicKey).description,
                        organisationId: p.enrolment.organisationID?.hex, organisationName: p.organisationName, mismatch: p.mismatch)
                }) {
                    list.isEmpty ? Message.noPending.text : list.map {
                        AdminText.pendingLine(device: $0.enrolment.deviceID.hex, what: describe($0), fingerprint: "\(Fingerprint(of: $0.enrolment.publicKey))").text
                            + ($0.mismatch.map { Message.pendingMismatch("\($0)").text } ?? "")
                    }.joined(separator: "\n")
                }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.approveAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Argument(help: ArgumentHelp(AdminText.approveDeviceHelp.text)) var device: String
        @Option(help: ArgumentHelp(AdminText.approveFingerprintHelp.text)) var fingerprint: String?
        @Flag(help: ArgumentHelp(AdminText.approveYesHelp.text)) var yes = false

        func run() async throws {
            try await guarded {
                guard let id = DeviceID(hex: device) else { throw ValidationError(AdminText.deviceIDFormat.text) }
                let local = try options.open()
                guard let p = try await local.pendingEnrolments().first(where: { $0.enrolment.deviceID == id }) else {
                    throw LocalError.notFound(Message.pendingEnrolmentUnknown(device: id.hex).text)
                }
                // What will be signed, before anything is: the role and organisation of this device's own invite.
                FileHandle.standardError.write(Data((Message.asksToBecome(device: id.hex, what: describe(p)).text + "\n").utf8))
                if fingerprint == nil, p.mismatch == nil {
                    FileHandle.standardError.write(Data((Message.deviceFingerprint(device: id.hex, fingerprint: "\(Fingerprint(of: p.enrolment.publicKey))").text + "\n").utf8))
                    try confirm(Message.approveQuestion.text, yes: yes)
                }
                let approved = try await local.approve(id, fingerprint: fingerprint)
                try emit(options.json, ["deviceId": id.hex, "status": "active"]) { Message.approved(device: id.hex, role: approved.role.label(Messages.language)).text }
            }
        }
    }

    /// "member of Association Exemple (id)", "auditor (no organisation)".
    static func describe(_ p: LocalDevice.PendingReview) -> String {
        Message.roleOf(role: p.enrolment.role.label(Messages.language), organisation: p.organisationName, id: p.enrolment.organisationID?.hex).text
    }

    struct Devices: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.devicesAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Option(help: ArgumentHelp(AdminText.devicesOrgHelp.text)) var org: String?

        func run() async throws {
            try await guarded {
                let local = try options.open()
                var own = local.settings.organisationId
                if let org { own = try await local.resolveOrganisation(org) }
                guard let o = own else { throw ValidationError(AdminText.devicesOrgRequired.text) }
                let list = try await local.client.devices(organisation: o)
                try emit(options.json, list.map { ["deviceId": $0.deviceID.hex, "role": $0.role.rawValue, "status": $0.status] }) {
                    list.map { AdminText.devicesLine(device: $0.deviceID.hex, role: $0.role.label(Messages.language), status: $0.status).text }.joined(separator: "\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.revokeAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Argument(help: ArgumentHelp(AdminText.revokeDeviceHelp.text)) var device: String
        @Flag(help: ArgumentHelp(AdminText.revokeYesHelp.text)) var yes = false

        func run() async throws {
            try await guarded {
                guard let id = DeviceID(hex: device) else { throw ValidationError(AdminText.deviceIDFormat.text) }
                try confirm(Message.revokeQuestion(device: id.hex).text, yes: yes)
                try await options.open().revoke(id)
                try emit(options.json, ["deviceId": id.hex, "status": "revoked"]) { Message.revoked(device: id.hex).text }
            }
        }
    }
}
