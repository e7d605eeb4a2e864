import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create this device's keys in a new profile (the relay's keys are pinned at enrolment, from the invite).")

    @OptionGroup var options: ProfileOptions
    @Option(help: "The relay URL, for example https://relais.example.org") var relay: String

    func run() async throws {
        try await guarded {
            guard let url = URL(string: relay) else { throw ValidationError("--relay must be a URL such as https://relais.example.org") }
            try LocalDevice.checkRelayURL(url)
            let passphrase = try Passphrase.read(prompt: "New passphrase for this profile: ", new: true, file: options.passphraseFile)
            let device = try await LocalDevice.create(directory: options.location.config, dataDirectory: options.location.data, relay: url, passphrase: passphrase, parameters: .moderate)
            struct Out: Encodable { let deviceId: String; let fingerprint: String; let profile: String }
            try emit(options.json, Out(deviceId: device.identity.deviceID.hex, fingerprint: device.fingerprint.description, profile: options.directory)) {
                """
                Profile created in \(options.directory)
                This device:      \(device.identity.deviceID)
                Its fingerprint:  \(device.fingerprint)
                Nothing is trusted yet: the relay's keys are checked against your invite when you enrol.
                Next: `relais enrol <invite>` with the invite your organisation gave you
                (the relay's operator: `relais enrol --operator <operator invite>`).
                """
            }
        }
    }
}

struct Enrol: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Redeem a one-time invite with this device's key.")

    @OptionGroup var options: ProfileOptions
    @Argument(help: "The invite code (ri2_…).") var invite: String
    @Flag(help: "This is the relay's operator invite: this device becomes the operator, the root of the directory.")
    var `operator` = false

    func run() async throws {
        try await guarded {
            guard let code = InviteCode(invite) else { throw ValidationError("that is not an invite code (ri2_<id>_<secret>_<anchor>)") }
            let device = try options.open()
            let status = try await device.enrol(invite: code, asOperator: `operator`)
            if status.status == "active", status.role == .admin || status.role == .member { try await device.rotatePrekeys() }
            let op = device.operatorFingerprint?.description ?? ""
            try emit(options.json, ["deviceId": status.deviceID.hex, "status": status.status, "role": status.role.rawValue, "operatorFingerprint": op]) {
                status.status == "active"
                    ? "Enrolled as \(status.role.rawValue); this device is active. The relay's keys matched the invite; operator fingerprint \(op)."
                    : """
                      Enrolled as \(status.role.rawValue), pending approval. Read this fingerprint to the person who invited you:
                        \(device.fingerprint)
                      Then run `relais whoami` until it says active.
                      """
            }
        }
    }
}

struct PassphraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase",
        abstract: "Change this profile's passphrase (the keystore is re-encrypted under a fresh salt).",
        discussion: "Without a terminal the new passphrase is read from RELAIS_NEW_PASSPHRASE. Copies of the old keystore file still open with the old passphrase.")
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let passphrase = try Passphrase.read(prompt: "New passphrase: ", new: true, variable: "RELAIS_NEW_PASSPHRASE")
            try device.changePassphrase(to: passphrase)
            try emit(options.json, ["profile": options.directory, "changed": "true"]) {
                "Passphrase changed for \(options.directory). Backups of the old keystore file still open with the old one: delete them."
            }
        }
    }
}

struct WhoAmI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "whoami", abstract: "Show this device, its role, organisation and status.")
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let me = try await device.refresh()
            // What the refresh found wrong with the organisation key (a package left aside, a device holding another key).
            let warnings = device.lastOrganisationKeySync.warnings
            struct Out: Encodable { let deviceId, fingerprint, role, status, relay: String; let organisationId: String?; let warnings: [String] }
            try emit(options.json, Out(deviceId: me.deviceID.hex, fingerprint: device.fingerprint.description, role: me.role.rawValue,
                                       status: me.status, relay: device.settings.relay, organisationId: me.organisationID?.hex, warnings: warnings)) {
                (["""
                device        \(me.deviceID)
                fingerprint   \(device.fingerprint)
                role          \(me.role.rawValue)
                organisation  \(me.organisationID?.hex ?? "none")
                status        \(me.status)
                relay         \(device.settings.relay)
                """] + warnings.map { "attention     clé d'organisation : \($0)" }).joined(separator: "\n")
            }
        }
    }
}

struct FingerprintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Show the fingerprint of this device, of another device, or of an organisation's devices.")
    @OptionGroup var options: ProfileOptions
    @Argument(help: "A device id, or an organisation (its name, part of it, or its id); none for this device.") var id: String?

    func run() async throws {
        try await guarded {
            let device = try options.open()
            guard let id else {
                try emit(options.json, ["deviceId": device.identity.deviceID.hex, "fingerprint": device.fingerprint.description]) {
                    "\(device.identity.deviceID)  \(device.fingerprint)"
                }
                return
            }
            // An id of 32 hex digits is a device's unless an organisation has it; anything else names an organisation.
            var deviceID = DeviceID(hex: id)
            if let o = OrganisationID(hex: id), (try? await device.organisation(o)) != nil { deviceID = nil }
            if deviceID == nil {
                let devices = try await device.devices(of: try await device.resolveOrganisation(id))
                try emit(options.json, devices.map { ["deviceId": $0.identity.deviceID.hex, "fingerprint": $0.identity.fingerprint.description] }) {
                    devices.map { "\($0.identity.deviceID)  \($0.identity.fingerprint)  \($0.record.role.rawValue)" }.joined(separator: "\n")
                }
            } else if let d = deviceID {
                let v = try await device.verify(try await device.client.device(d))
                try emit(options.json, ["deviceId": d.hex, "fingerprint": v.identity.fingerprint.description,
                                        "safetyNumber": Fingerprint.safetyNumber(device.identity.privateKey.publicKey, v.identity.signingKey)]) {
                    "\(d)  \(v.identity.fingerprint)\nsafety number with this device: \(Fingerprint.safetyNumber(device.identity.privateKey.publicKey, v.identity.signingKey))"
                }
            }
        }
    }
}

struct Trust: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Accept an organisation's current devices after comparing their fingerprints with it out of band.")
    @OptionGroup var options: ProfileOptions
    @Argument(help: "The organisation: its name, part of it, or its id.") var organisation: String
    @Flag(help: "Do not ask for confirmation.") var yes = false

    func run() async throws {
        try await guarded {
            let local = try options.open()
            let id = try await local.resolveOrganisation(organisation)
            let current = try await local.devices(of: id)
            FileHandle.standardError.write(Data(current.map { "  \($0.identity.deviceID)  fingerprint \($0.identity.fingerprint)\n" }.joined().utf8))
            try confirm("Do these fingerprints match what the organisation told you?", yes: yes)
            let trusted = try await local.trust(organisation: id)
            try emit(options.json, ["organisationId": id.hex, "devices": String(trusted.count)]) {
                "Trusted \(trusted.count) device(s) of \(id)."
            }
        }
    }
}
