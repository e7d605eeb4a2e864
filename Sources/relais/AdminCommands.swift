import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Operator and organisation-admin commands.",
        subcommands: [CreateOrganisation.self, Invite.self, Pending.self, Approve.self, Devices.self, Revoke.self])
}

extension Admin {
    struct CreateOrganisation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create-org", abstract: "Create an organisation, signed by the operator key (operator only).")
        @OptionGroup var options: ProfileOptions
        @Option(help: "The organisation's name.") var name: String
        @Option(help: "Partner category: \(PartnerCategory.allCases.map(\.rawValue).joined(separator: ", ")).") var category: String
        @Option(name: .customLong("departement"), help: "A département code it serves (repeat).") var departements: [String]
        @Option(help: "Accredited for the exit programme until this date (YYYY-MM-DD).") var exitProgrammeUntil: String?

        func run() async throws {
            try await guarded {
                guard let cat = PartnerCategory(rawValue: category) else { throw ValidationError("unknown category \(category)") }
                var until: UInt64?
                if let exitProgrammeUntil {
                    let f = ISO8601DateFormatter()
                    f.formatOptions = [.withFullDate]
                    guard let d = f.date(from: exitProgrammeUntil) else { throw ValidationError("--exit-programme-until takes YYYY-MM-DD") }
                    until = UInt64(d.timeIntervalSince1970)
                }
                let record = try await options.open().putOrganisation(name: name, category: cat, departements: departements,
                                                                      exitProgrammeAccreditedUntil: until)
                try emit(options.json, ["organisationId": record.id.hex]) { "Organisation created: \(record.id)  \(record.name)" }
            }
        }
    }

    struct Invite: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a one-time invite: the operator for admins and auditors, an admin for its organisation.")
        @OptionGroup var options: ProfileOptions
        @Option(help: "admin, member or auditor.") var role: String
        @Option(help: "The organisation (operator inviting an admin).") var org: String?

        func run() async throws {
            try await guarded {
                guard let r = DeviceRole(rawValue: role), r != .operator else { throw ValidationError("--role is admin, member or auditor") }
                var organisation: OrganisationID?
                if let org {
                    guard let o = OrganisationID(hex: org) else { throw ValidationError("--org takes an organisation id") }
                    organisation = o
                }
                let (code, expires) = try await options.open().invite(role: r, organisation: organisation)
                // The invite is a secret meant for one person: shown once, handed over out of band.
                try emit(options.json, ["invite": code.description, "expiresAt": String(expires)]) {
                    "Invite (one use, until \(date(expires))); give it to the person only:\n\(code)"
                }
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Devices that redeemed your invites and wait for your approval.")
        @OptionGroup var options: ProfileOptions

        func run() async throws {
            try await guarded {
                let list = try await options.open().pendingEnrolments()
                struct Out: Encodable { let deviceId, role, fingerprint: String; let organisationId, organisationName, mismatch: String? }
                try emit(options.json, list.map { p in
                    Out(deviceId: p.enrolment.deviceID.hex, role: p.enrolment.role.rawValue, fingerprint: Fingerprint(of: p.enrolment.publicKey).description,
                        organisationId: p.enrolment.organisationID?.hex, organisationName: p.organisationName, mismatch: p.mismatch)
                }) {
                    list.isEmpty ? "No pending enrolment." : list.map {
                        "\($0.enrolment.deviceID)  \(describe($0))  fingerprint \(Fingerprint(of: $0.enrolment.publicKey))"
                            + ($0.mismatch.map { "\n    DOES NOT MATCH YOUR INVITE: \($0); approving it will be refused" } ?? "")
                    }.joined(separator: "\n")
                }
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign a pending device's record after comparing its fingerprint with its owner.")
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
                FileHandle.standardError.write(Data("Device \(id) asks to become: \(describe(p))\n".utf8))
                if fingerprint == nil, p.mismatch == nil {
                    FileHandle.standardError.write(Data("Device \(id) fingerprint: \(Fingerprint(of: p.enrolment.publicKey))\n".utf8))
                    try confirm("Does the person read you exactly these digits?", yes: yes)
                }
                let approved = try await local.approve(id, fingerprint: fingerprint)
                try emit(options.json, ["deviceId": id.hex, "status": "active"]) { "Approved: \(id) is an active \(approved.role.rawValue)." }
            }
        }
    }

    /// "member of Association Exemple (id)", "auditor (no organisation)".
    static func describe(_ p: LocalDevice.PendingReview) -> String {
        guard let org = p.enrolment.organisationID else { return "\(p.enrolment.role.rawValue) (no organisation)" }
        return "\(p.enrolment.role.rawValue) of \(p.organisationName ?? "an organisation not in the directory") (\(org))"
    }

    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List an organisation's devices (default: your own organisation).")
        @OptionGroup var options: ProfileOptions
        @Option(help: "The organisation id.") var org: String?

        func run() async throws {
            try await guarded {
                let local = try options.open()
                guard let o = org.flatMap(OrganisationID.init(hex:)) ?? local.settings.organisationId else {
                    throw ValidationError("--org takes an organisation id")
                }
                let list = try await local.client.devices(organisation: o)
                try emit(options.json, list.map { ["deviceId": $0.deviceID.hex, "role": $0.role.rawValue, "status": $0.status] }) {
                    list.map { "\($0.deviceID)  \($0.role.rawValue)  \($0.status)" }.joined(separator: "\n")
                }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a device at once (operator, or an admin of its organisation).")
        @OptionGroup var options: ProfileOptions
        @Argument(help: "The device id.") var device: String
        @Flag(help: "Do not ask for confirmation.") var yes = false

        func run() async throws {
            try await guarded {
                guard let id = DeviceID(hex: device) else { throw ValidationError("a device id is 32 hex digits") }
                try confirm("Revoke device \(id)? It will receive nothing more.", yes: yes)
                try await options.open().revoke(id)
                try emit(options.json, ["deviceId": id.hex, "status": "revoked"]) { "Revoked: \(id)." }
            }
        }
    }
}
