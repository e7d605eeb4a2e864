public import RelaisCore

/// The help, refusals and outputs of `relais admin …`, `relais demo` and `relais relay-demo`
/// (issue 16), one case each, rendered in `AdminText+fr.swift` and `AdminText+en.swift`
/// (exhaustive switches: a case without its French or English text does not build).
public enum AdminText: Sendable, Equatable {
    // admin create-org
    case createOrgDiscussion, createOrgOrgHelp, createOrgNameHelp, createOrgDepartementHelp, createOrgNationalHelp, createOrgPublicHelp,
         createOrgMinorsHelp, createOrgMinAgeHelp, createOrgMaxAgeHelp, createOrgTraffickingOnlyHelp, createOrgLanguageHelp,
         createOrgPhoneHelp, createOrgHoursHelp, createOrgAccreditationHelp, createOrgExitProgrammeUntilHelp
    case publicValues, accreditationFormat, deviceIDFormat
    case datesFormat(option: String)
    /// `create-org`: the record does not validate (`detail`: the rule, as RelaisCore names it).
    case organisationInvalid(detail: String)
    // admin invite, pending, approve, devices, revoke
    case inviteRoleHelp, inviteOrgHelp, inviteRoleValues
    case pendingLine(device: String, what: String, fingerprint: String)
    case approveDeviceHelp, approveFingerprintHelp, approveYesHelp
    case devicesOrgHelp, devicesOrgRequired
    case devicesLine(device: String, role: String, status: String)
    case revokeDeviceHelp, revokeYesHelp
    // demo, relay-demo
    case demoAbstract, relayDemoAbstract, relayDemoRelayHelp, relayDemoInviteHelp, relayDemoRelayURL, relayDemoNoInvite(path: String)
    case demoSender(device: String, fingerprint: String)
    case demoSealed(envelope: String, bytes: Int, sizeClass: Int, devices: Int)
    case demoOpened(device: String, kind: String, schema: Int, needs: [String])
    case demoTampered(error: String)
    case demoBroken
    case relayDemoStep(RelayDemoStep)

    /// This text in the process's language.
    public var text: String { text(Messages.language) }

    public func text(_ language: Language) -> String {
        switch language {
        case .fr: fr
        case .en: en
        }
    }
}

/// One line of `relais relay-demo` (`RelayDemo.run`): what was done, with the identifiers a reader checks.
public enum RelayDemoStep: Sendable, Equatable {
    case operatorEnrolled(device: String, fingerprint: String)
    case operatorKeyPinned
    case organisationsCreated(association: String, service: String)
    case adminsEnrolled(association: String, service: String)
    case associationDevice(device: String, prekey: String)
    case professionalEnrolled(device: String)
    case directoryVerified(devices: Int)
    case consentRecorded(id: String)
    case referralSent(envelope: String, bytes: Int)
    case openedAndAcknowledged(device: String, kind: String, schema: Int, deleted: Bool)
}
