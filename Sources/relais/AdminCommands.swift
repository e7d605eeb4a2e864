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
            discussion: """
            Publishes a version 2 record (SPEC.md, "Directory records"). Without --public, the organisation receives women, men \
            and trans people; without --language, it speaks French. Example: --public women --public trans --min-age 18 \
            --language fr --language ro --service exitProgramme --phone "01 42 82 17 00" --hours "lundi au vendredi, 9h à 17h" \
            --accreditation 93:2026-01-01:2028-12-31.
            """) }
        @OptionGroup var options: ProfileOptions
        @Option(help: "Publish a new version of this organisation (its name, part of it, or its id) instead of creating one.") var org: String?
        @Option(help: "The organisation's name.") var name: String
        @Option(help: ArgumentHelp(Message.directoryCategoryHelp.text)) var category: PartnerCategory
        @Option(name: .customLong("departement"), help: "A département code it serves (repeat).") var departements: [String] = []
        @Flag(help: "It serves the whole country (then give no --departement).") var national = false
        @Option(name: .customLong("public"), help: "Whom it receives (repeat): women, men, trans.") var publics: [String] = []
        @Flag(help: "It receives minors.") var minors = false
        @Option(help: "Youngest age received.") var minAge: Int?
        @Option(help: "Oldest age received.") var maxAge: Int?
        @Flag(help: "Only victims of trafficking in human beings (traite des êtres humains).") var traffickingOnly = false
        @Option(name: .customLong("language"), help: "A language spoken, ISO 639 (repeat; default fr).") var languages: [String] = []
        @Option(name: .customLong("service"), help: ArgumentHelp(Message.directoryNeedHelp.text))
        var services: [Referral.Need] = []
        @Option(help: "Its public phone number.") var phone: String?
        @Option(help: "Its opening hours, in French (\"lundi au vendredi, 9h à 17h\").") var hours: String?
        @Option(name: .customLong("accreditation"),
                help: "Exit-programme accreditation in one département: DEP:FROM:UNTIL, dates YYYY-MM-DD, UNTIL excluded (repeat).")
        var accreditations: [String] = []
        @Option(help: "Shorthand: accredited for the exit programme from today until this date (YYYY-MM-DD), in every listed département.")
        var exitProgrammeUntil: String?

        func run() async throws {
            try await guarded {
                let cat = category
                let groups = try publics.map {
                    guard let g = OrganisationRecord.ServedGroup(rawValue: $0), g != .minors else {
                        throw ValidationError("--public takes women, men or trans (minors: --minors)")
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
                    throw ValidationError("\(error)")
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
            guard parts.count == 3 else { throw ValidationError("--accreditation takes DEP:FROM:UNTIL, for example 93:2026-01-01:2028-12-31") }
            return .init(departement: parts[0], from: try day(parts[1], "--accreditation"), until: try day(parts[2], "--accreditation"))
        }

        static func day(_ text: String, _ option: String) throws -> UInt64 {
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withFullDate]
            guard let d = f.date(from: text) else { throw ValidationError("\(option) takes dates as YYYY-MM-DD") }
            return UInt64(d.timeIntervalSince1970)
        }
    }

    struct Invite: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.inviteAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Option(help: "admin, member or auditor.") var role: DeviceRole
        @Option(help: "The organisation, by name, part of it, or id (operator inviting an admin).") var org: String?

        func run() async throws {
            try await guarded {
                let r = role
                guard r != .operator else { throw ValidationError("--role is admin, member or auditor") }
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
                        "\($0.enrolment.deviceID)  \(describe($0))  fingerprint \(Fingerprint(of: $0.enrolment.publicKey))"
                            + ($0.mismatch.map { Message.pendingMismatch("\($0)").text } ?? "")
                    }.joined(separator: "\n")
                }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.approveAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Argument(help: "The pending device id.") var device: String
        @Option(help: "The fingerprint the person read to you (30 digits). Without it you are asked to confirm.") var fingerprint: String?
        @Flag(help: "Approve without comparing fingerprints (not recommended).") var yes = false

        func run() async throws {
            try await guarded {
                guard let id = DeviceID(hex: device) else { throw ValidationError("a device id is 32 hex digits") }
                let local = try options.open()
                guard let p = try await local.pendingEnrolments().first(where: { $0.enrolment.deviceID == id }) else {
                    throw LocalError.notFound("no pending enrolment \(id)")
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
        @Option(help: "The organisation: its name, part of it, or its id.") var org: String?

        func run() async throws {
            try await guarded {
                let local = try options.open()
                var own = local.settings.organisationId
                if let org { own = try await local.resolveOrganisation(org) }
                guard let o = own else { throw ValidationError("--org : la structure (son nom ou son identifiant) / the organisation (its name or id)") }
                let list = try await local.client.devices(organisation: o)
                try emit(options.json, list.map { ["deviceId": $0.deviceID.hex, "role": $0.role.rawValue, "status": $0.status] }) {
                    list.map { "\($0.deviceID)  \($0.role.label(Messages.language))  \($0.status)" }.joined(separator: "\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.revokeAbstract.text) }
        @OptionGroup var options: ProfileOptions
        @Argument(help: "The device id.") var device: String
        @Flag(help: "Do not ask for confirmation.") var yes = false

        func run() async throws {
            try await guarded {
                guard let id = DeviceID(hex: device) else { throw ValidationError("a device id is 32 hex digits") }
                try confirm(Message.revokeQuestion(device: id.hex).text, yes: yes)
                try await options.open().revoke(id)
                try emit(options.json, ["deviceId": id.hex, "status": "revoked"]) { Message.revoked(device: id.hex).text }
            }
        }
    }
}
