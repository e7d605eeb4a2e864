import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto

struct Init: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.initAbstract.text) }

    @OptionGroup var options: ProfileOptions
    @Option(help: ArgumentHelp(Message.initRelayHelp.text)) var relay: String

    func run() async throws {
        try await guarded {
            guard let url = URL(string: relay) else { throw ValidationError(Message.initRelayURL.text) }
            try LocalDevice.checkRelayURL(url)
            let passphrase = try Passphrase.read(prompt: Message.newPassphrasePrompt.text, new: true, file: options.passphraseFile)
            let device = try await LocalDevice.create(directory: options.location.config, dataDirectory: options.location.data, relay: url, passphrase: passphrase, parameters: KeystoreCost.parameters)
            struct Out: Encodable { let deviceId: String; let fingerprint: String; let profile: String }
            try emit(options.json, Out(deviceId: device.identity.deviceID.hex, fingerprint: device.fingerprint.description, profile: options.directory)) {
                Message.profileCreated(directory: options.directory, device: device.identity.deviceID.hex, fingerprint: "\(device.fingerprint)").text
            }
        }
    }
}

struct Enrol: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.enrolAbstract.text) }

    @OptionGroup var options: ProfileOptions
    @Argument(help: ArgumentHelp(Message.enrolInviteHelp.text)) var invite: String
    @Flag(help: ArgumentHelp(Message.enrolOperatorHelp.text))
    var `operator` = false

    func run() async throws {
        try await guarded {
            guard let code = InviteCode(invite) else { throw ValidationError(Message.notAnInvite.text) }
            let device = try options.open()
            let status = try await device.enrol(invite: code, asOperator: `operator`)
            if status.status == "active", status.role == .admin || status.role == .member { try await device.rotatePrekeys() }
            let op = device.operatorFingerprint?.description ?? ""
            try emit(options.json, ["deviceId": status.deviceID.hex, "status": status.status, "role": status.role.rawValue, "operatorFingerprint": op]) {
                Message.enrolled(role: status.role.label(Messages.language), active: status.status == "active", operatorFingerprint: op,
                                 fingerprint: "\(device.fingerprint)").text
            }
        }
    }
}

struct PassphraseCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(
        commandName: "passphrase", abstract: Message.passphraseAbstract.text, discussion: Message.passphraseDiscussion.text) }
    @OptionGroup var options: ProfileOptions

    func run() async throws {
        try await guarded {
            let device = try options.open()
            let passphrase = try Passphrase.read(prompt: Message.newPassphrasePrompt.text, new: true, variable: "RELAIS_NEW_PASSPHRASE")
            try device.changePassphrase(to: passphrase, parameters: KeystoreCost.parameters)
            try emit(options.json, ["profile": options.directory, "changed": "true"]) {
                Message.passphraseChanged(directory: options.directory).text
            }
        }
    }
}

struct WhoAmI: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "whoami", abstract: Message.whoamiAbstract.text) }
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
                Message.whoami(device: me.deviceID.hex, fingerprint: "\(device.fingerprint)", role: me.role.label(Messages.language),
                               organisation: me.organisationID?.hex, status: me.status, relay: device.settings.relay, warnings: warnings).text
            }
        }
    }
}

struct FingerprintCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "fingerprint", abstract: Message.fingerprintAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Argument(help: ArgumentHelp(Message.fingerprintIdHelp.text)) var id: String?

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
                    devices.map { "\($0.identity.deviceID)  \($0.identity.fingerprint)  \($0.record.role.label(Messages.language))" }.joined(separator: "\n")
                }
            } else if let d = deviceID {
                let v = try await device.verify(try await device.client.device(d))
                try emit(options.json, ["deviceId": d.hex, "fingerprint": v.identity.fingerprint.description,
                                        "safetyNumber": Fingerprint.safetyNumber(device.identity.privateKey.publicKey, v.identity.signingKey)]) {
                    "\(d)  \(v.identity.fingerprint)\n" + Message.safetyNumber(Fingerprint.safetyNumber(device.identity.privateKey.publicKey, v.identity.signingKey)).text
                }
            }
        }
    }
}

struct Trust: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(abstract: Message.trustAbstract.text) }
    @OptionGroup var options: ProfileOptions
    @Argument(help: ArgumentHelp(Message.trustOrganisationHelp.text)) var organisation: String
    @Flag(help: ArgumentHelp(Message.yesHelp.text)) var yes = false

    func run() async throws {
        try await guarded {
            let local = try options.open()
            let id = try await local.resolveOrganisation(organisation)
            let current = try await local.devices(of: id)
            FileHandle.standardError.write(Data(current.map {
                "  " + Message.deviceLine(id: $0.identity.deviceID.hex, fingerprint: "\($0.identity.fingerprint)").text + "\n"
            }.joined().utf8))
            try confirm(Message.trustQuestion.text, yes: yes)
            let trusted = try await local.trust(organisation: id)
            try emit(options.json, ["organisationId": id.hex, "devices": String(trusted.count)]) {
                Message.trusted(count: trusted.count, organisation: id.hex).text
            }
        }
    }
}
