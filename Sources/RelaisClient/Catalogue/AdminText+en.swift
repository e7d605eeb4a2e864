// The English texts of `relais admin`, `relais demo` and `relais relay-demo` (issue 16).

import RelaisCore

extension AdminText {
    var en: String {
        switch self {
        case .createOrgDiscussion:
            """
            Publishes a version 2 record (SPEC.md, "Directory records"). Without --public, the organisation receives women, men \
            and trans people; without --language, it speaks French. Example: --public women --public trans --min-age 18 \
            --language fr --language ro --service exitProgramme --phone "01 42 82 17 00" --hours "lundi au vendredi, 9h à 17h" \
            --accreditation 93:2026-01-01:2028-12-31.
            """
        case .createOrgOrgHelp: "Publish a new version of this organisation (its name, part of it, or its id) instead of creating one."
        case .createOrgNameHelp: "The organisation's name."
        case .createOrgDepartementHelp: "A département code it serves (repeat)."
        case .createOrgNationalHelp: "It serves the whole country (then give no --departement)."
        case .createOrgPublicHelp: "Whom it receives (repeat); values: women, men, trans."
        case .createOrgMinorsHelp: "It receives minors."
        case .createOrgMinAgeHelp: "Youngest age received."
        case .createOrgMaxAgeHelp: "Oldest age received."
        case .createOrgTraffickingOnlyHelp: "Only victims of trafficking in human beings (traite des êtres humains)."
        case .createOrgLanguageHelp: "A language spoken, ISO 639 (repeat; default fr)."
        case .createOrgPhoneHelp: "Its public phone number."
        case .createOrgHoursHelp: "Its opening hours, in French (\"lundi au vendredi, 9h à 17h\")."
        case .createOrgAccreditationHelp: "Exit-programme accreditation in one département: DEP:FROM:UNTIL, dates YYYY-MM-DD, UNTIL excluded (repeat)."
        case .createOrgExitProgrammeUntilHelp:
            "Shorthand: accredited for the exit programme from today until this date (YYYY-MM-DD), in every listed département."
        case .publicValues: "--public takes women, men or trans (minors: --minors)"
        case .accreditationFormat: "--accreditation takes DEP:FROM:UNTIL, for example 93:2026-01-01:2028-12-31"
        case let .datesFormat(option): "\(option) takes dates as YYYY-MM-DD (for example 2026-03-14)"
        case .deviceIDFormat: "a device id is 32 hex digits"
        case let .organisationInvalid(detail): "the organisation record is not valid: \(detail)"
        case .inviteRoleHelp: "The invited device's role: administrator, member or auditor."
        case .inviteOrgHelp: "The organisation, by name, part of it, or id (operator inviting an admin)."
        case .inviteRoleValues: "--role is administrator, member or auditor"
        case let .pendingLine(device, what, fingerprint): "\(device)  \(what)  fingerprint \(fingerprint)"
        case .approveDeviceHelp: "The pending device id."
        case .approveFingerprintHelp: "The fingerprint the person read to you (30 digits). Without it you are asked to confirm."
        case .approveYesHelp: "Approve without comparing fingerprints (not recommended)."
        case .devicesOrgHelp: "The organisation: its name, part of it, or its id."
        case .devicesOrgRequired: "--org: the organisation (its name or id); this device belongs to no organisation"
        case let .devicesLine(device, role, status): "\(device)  \(role)  \(status)"
        case .revokeDeviceHelp: "The device id."
        case .revokeYesHelp: "Do not ask for confirmation."
        case .demoAbstract: "Seal a fictional referral for two devices and open it on each (offline, nothing stored)."
        case .relayDemoAbstract: "Enrol an operator, two organisations and their devices on a fresh relay, then send and receive a sealed referral."
        case .relayDemoRelayHelp: "The relay URL."
        case .relayDemoInviteHelp: "File holding the relay's operator invite (DATA/operator-invite)."
        case .relayDemoRelayURL: "--relay must be a URL"
        case let .relayDemoNoInvite(path): "\(path) does not hold an invite code"
        case let .demoSender(device, fingerprint): "sender device      \(device)  fingerprint \(fingerprint)"
        case let .demoSealed(envelope, bytes, sizeClass, devices):
            "sealed envelope    \(envelope)  \(bytes) bytes, size class \(sizeClass), for \(devices) devices"
        case let .demoOpened(device, kind, schema, needs):
            "opened on device   \(device)  signature ok, \(kind) (schema v\(schema)), needs: \(needs.joined(separator: ", "))"
        case let .demoTampered(error): "tampered header    refused: \(error)"
        case .demoBroken: "a tampered envelope opened: this build is broken"
        case let .relayDemoStep(step):
            switch step {
            case let .operatorEnrolled(device, fingerprint): "operator enrolled            device \(device)  fingerprint \(fingerprint)"
            case .operatorKeyPinned: "operator key pinned          matches the relay's"
            case let .organisationsCreated(association, service): "organisations created        association \(association), social service \(service)"
            case let .adminsEnrolled(association, service): "admins enrolled              \(association) (association), \(service) (service)"
            case let .associationDevice(device, prekey): "association device enrolled  \(device), prekey \(prekey) published"
            case let .professionalEnrolled(device): "professional enrolled        \(device)"
            case let .directoryVerified(devices): "directory verified           \(devices) association devices can receive"
            case let .consentRecorded(id): "consent recorded             \(id), public part published"
            case let .referralSent(envelope, bytes): "referral sealed and sent     envelope \(envelope), \(bytes) bytes"
            case let .openedAndAcknowledged(device, kind, schema, deleted):
                "opened and acknowledged      on \(device): \(kind) (schema v\(schema)), signature ok\(deleted ? "; the relay deleted the envelope" : "")"
            }
        }
    }
}
