// The English texts of the `relais` CLI (issue 16). An exhaustive `switch`: a key without its
// English text does not build.

import RelaisCore

extension Message {
    var en: String {
        switch self {
        case .relaisAbstract: "Secure referral relay client: sealed referrals between partner organisations."
        case .exitStatuses:
            """
            Exit status: 0 success, 64 usage error, 65 verification failure (a signature, a key or an \
            envelope did not check out), 66 no profile or not found, 69 the relay refused or is unreachable, \
            75 this device is not active yet, 77 wrong passphrase.
            """
        case .confirmSuffix: "[yes/no]"
        case .notConfirmedNoTerminal: "not confirmed: add --yes to proceed without a terminal"
        case .cancelledNothingSent: "cancelled; nothing was sent"
        case .answerYesOrNo: "answer yes or no"
        case let .unknownChoice(option, value, choices):
            "\(option): «\(value)» is not a known value. Choices: \(choices.joined(separator: ", "))"
        case .langHelp: "Interface language: fr or en (else the profile's setting, then LC_ALL, LC_MESSAGES, LANG)."
        case let .langUnknown(value): "--lang: «\(value)» is not a known language (fr or en)"
        case .profileHelp: "Profile directory, everything in it (default: $RELAIS_HOME, else $XDG_CONFIG_HOME/relais for the keys and settings and $XDG_DATA_HOME/relais for the opened referrals, ~/.config and ~/.local/share when unset)."
        case .jsonHelp: "Machine-readable JSON output."
        case .yesHelp: "Do not ask for confirmation."
        case .passphrasePrompt: "Passphrase: "
        case .passphraseRepeatPrompt: "Repeat passphrase: "

        case .watchAbstract: "Wait for new envelopes and print one line per arrival: the organisation, the kind, the expiry; never the content."
        case .watchExecHelp:
            """
            Command run on each arrival, by /bin/sh -c, without arguments. It gets nothing of the envelope: its environment \
            holds only PATH, HOME, LANG and RELAIS_EVENT=arrival; its input is empty; its output goes to standard error.
            """
        case .watchOnceHelp: "Stop after the first arrival."
        case let .watchWatching(waiting):
            waiting == 0 ? "Waiting for new envelopes (Ctrl-C to stop)."
                : "Waiting for new envelopes; \(waiting) already in the inbox (Ctrl-C to stop)."
        case let .watchArrival(organisation, kind, expires, expiresIn):
            "New envelope from “\(organisation ?? "an organisation not in the directory")”\(kind.map { " (\($0))" } ?? ""): \(expiresIn), on \(expires)"
        case let .watchUnreachable(seconds): "the relay does not answer; trying again in \(seconds) s"
        case .watchReachable: "the relay answers again"
        case .watchStopped: "Watch stopped."
        case let .watchExecFailed(status): "the --exec command ended with status \(status)"

        case let .relayRefused(status, code, message): RefusalText.en(status: status, code: code, message: message)
        case let .relayUnexpected(status): "the relay answered unexpectedly (HTTP \(status)); try again later or contact the operator"
        case let .verificationFailed(why): "verification failed: \(why)"
        case .relayUnreachable: "cannot reach the relay: is it running, and is the URL in this profile right?"
        case let .unexpectedFailure(type): "unexpected failure (\(type))"

        case let .logRollback(kept, served):
            "the relay shows an audit log of \(served) entries, fewer than the \(kept) this device already verified: it erased part of its history. Stopped; both signed checkpoints are kept as evidence (relais evidence export)"
        case let .logFork(kept, served):
            "the audit log the relay shows (\(served) entries) does not extend the one of \(kept) entries this device already verified: the relay shows different histories (a fork). Stopped; both signed checkpoints are kept as evidence (relais evidence export)"
        case .monitorAbstract: "Reports the devices added, approved or revoked in your organisation's name, as the audit log shows them (admins)."
        case .monitorStrictHelp: "Exit with status 65 when a device was approved by no admin of the organisation."
        case .monitorAdminsOnly: "relais monitor is for an organisation's admins"
        case .monitorNoCheckpoint: "this device has no verified checkpoint of the relay's log yet"
        case let .monitorOutOfOrder(index): "the relay listed entry \(index) out of order: it hides or repeats entries. Stopped; tell the relay's operator"
        case let .monitorEntryNotInLog(index, why): "entry \(index) the relay listed is not in its verified log (\(why)). Stopped; tell the relay's operator"
        case .monitorAlertUnverified: "its record is not signed by a device of the verified directory"
        case let .monitorAlertNotAnAdmin(role): "approved by a device that is no admin of this organisation (\(role))"
        case let .monitorRange(organisation, from, next): "\(organisation): log entries \(from) to \(next)"
        case .monitorNothingNew: "nothing new"
        case let .monitorLine(index, kind, device, role, by, byRole, byOrganisation):
            "#\(index) \(["organisationChanged": "organisation record changed", "deviceAdded": "device enrolment", "deviceApproved": "device approved", "deviceRevoked": "device revoked"][kind] ?? kind)\(device.map { " \($0)" } ?? "")\(role.map { " (\($0))" } ?? "")\(by.map { " by \($0)" } ?? "")\(byRole.map { " (\($0)\(byOrganisation.map { ", \($0)" } ?? ""))" } ?? "")"
        case let .monitorAlert(why): "  ALERT: \(why)"
        case let .monitorPrekeys(count): "\(count) prekey(s) published"
        case let .monitorAlerts(count): "\(count) device(s) approved by no admin of the organisation: check them with your admins and the operator, and revoke any you do not know (relais admin revoke)"
        case let .directoryNotLogged(subject, why):
            "the relay serves \(subject.englishLabel) that is not in its audit log (\(why)): a record the relay did not log may be a substituted key. Stopped; nothing was sealed or sent; tell the relay's operator and your organisation's admins"
        case .logBadSignature:
            "the audit-log checkpoint the relay served is not signed by the log key pinned in this profile. Stopped; what it served is kept as evidence (relais evidence export)"
        case let .logNotWitnessed(required, got, witnesses):
            "the audit-log checkpoint the relay served is cosigned by \(got) of the \(witnesses) witnesses this profile knows, and \(required) are required: no independent witness vouches that others see the same history. Stopped; nothing was sent or fetched. Retry later, or tell the relay's operator"
        case .evidenceAbstract: "The evidence kept when the relay showed an inconsistent audit log."
        case .evidenceExportAbstract: "Writes the evidence (signed checkpoints, consistency proof, what was expected) as JSON a third party can check."
        case .evidenceOutHelp: "The file to write (it must not exist); standard output otherwise."
        case let .evidenceWritten(count, path):
            count == 0 ? "No evidence: this profile never caught the relay." : "\(count) finding(s) written\(path.map { " to \($0)" } ?? "")."
        case let .evidenceFileExists(path): "\(path) already exists: nothing is overwritten"

        case let .noProfile(path): "no Relais profile in \(path): run `relais init --relay URL` first"
        case let .profileExists(path): "a profile already exists in \(path); use another --profile"
        case let .notActive(status): "this device is \(status): its enroller must approve it first (then run `relais whoami`)"
        case let .keyChanged(device, pinned, now):
            """
            THE KEY OF DEVICE \(device) HAS CHANGED.
              pinned fingerprint:  \(pinned)
              fingerprint now:     \(now)
            Nothing was sent. A device id is derived from its key, so the relay is showing a key that is not
            this device's: treat the relay as compromised and tell its operator and your organisation.
            """
        case let .newDevices(organisation, id, devices):
            """
            THE DEVICES OF \(organisation.uppercased()) HAVE CHANGED since you last sent to it. New device(s):
            \(devices.map { "  " + $0 }.joined(separator: "\n"))
            Nothing was sent. Someone may be trying to read what you send. Compare these fingerprints with the
            organisation by phone or in person, then run `relais trust \(id)` and send again.
            """
        case let .consentRefusal(why): "refused by the consent rules: \(why.hasSuffix(".") ? String(why.dropLast()) : why). Nothing was sent."
        case .notAKeystore: "the keystore file is not a Relais keystore (damaged, or another file)"
        case let .keystoreVersion(v): "keystore version \(v) is not supported by this relais"
        case .wrongPassphrase: "wrong passphrase (or the keystore was altered)"
        case let .referralInvalid(why): "the referral is not valid: \(why)"
        case let .passphraseEmpty(variable): "\(variable) is empty"
        case let .passphraseNoTerminal(variable): "no terminal to ask for the passphrase: give --passphrase-file FILE (or, for tests and demos only, set \(variable))"
        case .passphrasesDiffer: "the two passphrases differ"
        case .passphraseFileHelp:
            "Read the passphrase from this file (for scripts; mode 0600: refused if its group or others may read it). Otherwise it is asked on the terminal; RELAIS_PASSPHRASE is for tests and demos only."
        case let .passphraseFileExposed(path, mode):
            "\(path) may be read by others (mode \(mode)): refused, as its passphrase may already be known. Make it yours alone (chmod 600 \(path)) and change the passphrase if others could read it."
        case let .passphraseFileUnreadable(path): "cannot read the passphrase file \(path)"
        case let .idFormat(what): "a \(what) id is 32 hex digits"

        case let .ruleRefusal(reason, name): Self.ruleEn(reason, name)
        case .organisationDeviceOnly: "only an organisation's device can do this (not the operator's nor an auditor's)"
        case .operatorOnlyCreatesOrganisations: "only the operator's device creates organisations"
        case .auditorOnlyReadsLog: "only an auditor device reads the audit log"
        case .withdrawOnlyRecordingOrganisation: "only a device of the organisation that recorded the consent withdraws it"
        case let .consentNotHere(id): "no consent \(id) recorded on this device"
        case let .consentNotRecordedHere(id): "consent \(id) is not recorded on this device: record it with the person (relais consent grant)"
        case let .consentUnknownToOrganisation(id): "no consent \(id) recorded by this organisation"
        case let .declarationNotHere(id): "declaration \(id) was not made on this device: make it first (relais declare)"
        case .replyCoverNotHere: "a reply travels under the consent or declaration of a referral opened on this device"
        case .answerOnlyToCover: "a reply goes only to the organisation that recorded the consent or made the declaration"
        case let .needsOutsideConsent(needs): "the consent does not cover \(needs.map(\.labelEn).joined(separator: ", ")): share only what the person agreed to"
        case let .dataOutsideConsent(categories, id):
            """
            the person did not agree to share this information: \(categories.map(\.labelEn).joined(separator: ", ")) (consent \(id) does not \
            list it); remove it from the referral, or ask for the person's agreement to it (relais consent grant)
            """
        case let .consentRecordMismatch(id): "the consent carried by the referral is not the one recorded on this device as \(id)"
        case let .exitDepartementMismatch(requested, consented):
            """
            the exit programme request is for département \(requested), but the person consented for département \(consented): \
            the programme is requested from an association accredited in their département; record their consent for this département
            """
        case .caseNumberEmpty: "the case number is empty: give the person's case number in your organisation"
        case .noOrganisationKey:
            """
            this device does not yet hold its organisation's pseudonym key: without it, a case's pseudonym would differ \
            from the other devices' of the organisation. A device of the organisation that holds it hands it over (at approval, \
            or when it runs `relais whoami`). Ask an admin of the organisation, then run `relais whoami` here. Nothing was recorded or sent
            """
        case let .caseNotConsentSubject(consent):
            """
            the case number given does not name the person of consent \(consent) (the pseudonyms differ): a consent holds \
            only for the person who gave it. Check the case number
            """
        case let .referralNotConsentSubject(consent):
            "the referral does not name the person of consent \(consent) (its pseudonym differs): a consent holds only for the person who gave it"
        case .minorStopAndReport:
            """
            this referral is about a minor (or a person who says they are a minor): it goes only after the report to child protection.
            A minor in prostitution is a child in danger. Every professional who knows of it must act, even if the minor asks for silence:
            report to the département's child protection (CRIP), the police or the justice system, or call \(Hotlines.enfanceEnDanger.shortLine).
            Prostitution online: \(Hotlines.pharos.website ?? "") (\(Hotlines.pharos.name)).
            Two ways on, for this situation (the same --case):
              - make the report through Relais: relais declare --case … (child protection declaration), then send it;
              - or, if the report was already made outside Relais, record it: relais outside-report --case … --to crip|police|justice|119 --date YYYY-MM-DD.
            Then send this referral again.
            """
        case let .relayURLFormat(url): "the relay URL must be https://HOST[:PORT] (got \(url))"
        case let .plainHTTPRefused(host):
            "refusing plain http:// to \(host): use https:// (plain HTTP is accepted only to this machine: 127.0.0.1, ::1, localhost)"
        case let .retentionRange(max): "retention must be 0 to \(max) days"
        case .noRecipient: "name at least one recipient organisation (--to)"
        case let .organisationUnknown(id): "no organisation \(id) in the directory"
        case let .noReceivingDevice(organisation): "\(organisation) has no device that can receive yet"
        case .noCurrentPrekey: "it has no current prekey: it has not come online since its approval"
        case let .envelopeNotInInbox(id): "no envelope \(id) in this device's inbox"
        case let .openBeforeAck(id): "open envelope \(id) before acknowledging it, so that it is kept locally"
        case let .openBeforeReply(id): "open envelope \(id) before replying to it"
        case .replyNeedsOutcome:
            "a reply says what was decided: give the outcome (--outcome accepted, appointmentOffered, placeOffered, refused, reoriented, commissionOpinion or prefectDecision)"
        case let .replyV1NoOutcome(id):
            "referral \(id) is in format 1, whose replies carry no outcome: write what was decided in --text, without --outcome"
        case let .replyV1NeedsText(id): "referral \(id) is in format 1: write your reply in --text"
        case let .pendingEnrolmentUnknown(device): "no pending enrolment \(device) for this device to approve"
        case let .approveNoInvite(device, why):
            "device \(device) not approved: \(why ?? "no matching invite"). Nothing was signed; issue a new invite if needed"
        case let .approveFingerprintMismatch(device):
            "the fingerprint does not match device \(device): do not approve it; ask the person to enrol again"
        case let .inviteNotIssuedHere(invite): "its invite \(invite) was not issued by this device (or was already approved)"
        case let .inviteRoleDiffers(reported, invite, issued): "the relay reports role \(reported), but invite \(invite) was issued for a \(issued)"
        case let .inviteOrganisationDiffers(reported, invite, issued):
            "the relay reports organisation \(reported ?? "none"), but invite \(invite) was issued for \(issued ?? "none")"
        case let .inviteExpired(invite, at): "invite \(invite) expired at \(at)"
        case .operatorAlreadyExists: "this relay already has an operator: the operator invite can no longer be used"
        case .operatorInviteGiven: "this is the relay's operator invite: run `relais enrol --operator <invite>` if you are its operator"
        case let .fileError(path, reason): "\(path): \(reason)"
        case let .cannotCreate(path): "cannot create \(path)"
        case let .cannotWrite(path): "cannot write \(path)"
        case let .damaged(part):
            switch part {
            case .identityKey: "the keystore's identity key is damaged"
            case .organisationKey: "the keystore's organisation key is damaged"
            case .prekey: "damaged prekey in keystore"
            case .logKey: "the audit-log key pinned in this profile is damaged"
            case .profileRelayURL: "profile.json holds no valid relay URL"
            case .profileOtherDevice: "profile.json names another device than the keystore"
            case .referralsFormat: "the file of opened referrals is not one (or of an unknown version)"
            case .referralsKey: "the file of opened referrals does not open with this keystore's key: damaged, or another profile's"
            }
        case let .damagedFile(path, detail):
            detail.map { "\(path) is damaged: \($0)" } ?? "\(path) is damaged: it does not hold a checkpoint signed by the pinned log key"
        case .relayNoLogKey: "the relay shows no valid audit-log key; nothing was sent"
        case .inviteWithoutAnchor: "this invite code (ri1_…) carries no trust anchor: ask its issuer for a new invite (ri2_…)"
        case let .inviteAnchorMismatch(anchor, reported):
            """
            THE RELAY'S KEYS DO NOT MATCH THIS INVITE (anchor \(anchor), the relay's keys give \(reported)).
            Nothing was sent and nothing was pinned. Either the code was mistyped, or the relay (or someone on the
            way to it) is not the one your invite comes from: tell the person who gave you the invite.
            """
        case .otherOperatorPinned: "this profile already trusts another operator key; use a new profile for another relay"
        case let .noOperatorPinned(relayHasNone):
            relayHasNone ? "no operator key is pinned: the relay has no operator yet" : "no operator key is pinned in this profile"
        case .issuedInviteAnchorMismatch:
            "the relay issued an invite whose anchor is not this profile's operator and log keys: do not hand it out; the relay is not the one this device trusts"
        case let .organisationRecordUnsigned(detail): "an organisation record is not signed by the pinned operator key: \(detail)"
        case let .organisationRolledBack(id, served, seen):
            """
            the relay served organisation \(id) at sequence \(served), but this device has already seen its \
            sequence \(seen): an old, replaced record. Nothing was sent; tell the relay's operator
            """
        case .deviceChainTooLong: "device chain too long"
        case let .deviceRecordMissing(device): "device \(device) has no signed record"
        case let .deviceKeyMalformed(device): "malformed key for \(device)"
        case .deviceIdMismatch: "device id does not match its key"
        case let .deviceSelfSignedNotOperator(device): "device \(device) signs its own record but is not the pinned operator"
        case let .deviceRecordInvalid(device, detail): "record of device \(device): \(detail)"
        case let .deviceDescriptionDiffers(device): "the relay's description of device \(device) differs from its signed record"
        case let .deviceEnrolledWrongly(device, role): "device \(device) (\(role)) was enrolled by a device that may not enrol it"
        case let .revocationInvalid(device, detail): "the revocation shown for device \(device) does not verify: \(detail)"
        case .revocationNamesOther: "it names another device, or a revoker that may not revoke it"
        case let .deviceNotOfOrganisation(device, organisation, role, actual, isOther):
            """
            the relay lists device \(device) among the devices of organisation \(organisation), but its signed \
            record makes it a \(role) of \(actual.map { isOther ? "another organisation (\($0))" : $0 } ?? "no organisation"). \
            A relay that does this wants what you send to reach someone else: nothing was sealed or sent; tell the relay's operator
            """
        case let .deviceNotRecipient(device): "device \(device) is not a current device of a recipient organisation; nothing was sealed"
        case .noDeviceToSeal: "a recipient organisation has no device to seal for; nothing was sealed"
        case let .envelopeErasedDeliveredAgain(id):
            "envelope \(id) was erased here when the person withdrew their consent, and the relay delivers it again: refused, and not stored. Tell the relay's operator"
        case let .envelopeFromRevoked(id, device, revokedAt, createdAt):
            "envelope \(id) comes from device \(device), revoked at \(revokedAt), before it was sealed (\(createdAt)): refused, and not stored"
        case let .keyPackageInvalid(detail):
            "the relay offers an organisation key package that does not verify (\(detail)): nothing was installed; tell the relay's operator"
        case let .keyPackageWrongGiver(giver, role, giverOrganisation, isThis, organisation):
            """
            the relay offers an organisation key package given by device \(giver), a \(role) of \
            \(giverOrganisation.map { isThis ? "this organisation" : "another organisation (\($0))" } ?? "no organisation"), \
            for organisation \(organisation): refused, nothing was installed; tell the relay's operator
            """
        case let .keyPackageUnopenable(giver, detail):
            "the organisation key package from device \(giver) does not open here (\(detail)): nothing was installed; tell the relay's operator"
        case let .otherOrganisationKey(offered, giver, held, heldGiver):
            """
            THE RELAY OFFERS ANOTHER ORGANISATION KEY (\(offered), given by device \(giver)) than the one this \
            device holds (\(held), given by device \(heldGiver)). It was refused: pseudonyms stay those of the \
            key held here. Tell your organisation's admin and the relay's operator
            """
        case let .relayMalformed(item):
            switch item {
            case .operatorKey: "the relay's operator key is malformed"
            case .sessionAnswer: "the relay's session answer is malformed"
            case .invite: "the relay returned a malformed invite"
            case .pendingEnrolment: "the relay returned a malformed pending enrolment"
            case .envelopeID: "malformed envelope id in reply"
            case .logEntry: "malformed log entry from the relay"
            case .proofHash: "malformed proof hash from the relay"
            case .signedObject: "malformed signed object from the relay"
            case .deviceStatus: "malformed device status from the relay"
            case .deviceEntry: "malformed device entry from the relay"
            case .prekey: "malformed prekey"
            case .keyPackage: "the relay sent a key package that is not base64"
            case .keyHolderDevice: "malformed device id in the key holders list"
            case .keyHolderKey: "malformed key id in the key holders list"
            case .inboxEntry: "malformed inbox entry"
            }
        case .relayOtherOperatorKey: "the relay shows another operator key"
        case let .demoCheck(check):
            switch check {
            case .associationMissing: "association not found"
            case .envelopeMissing: "the envelope is missing from an addressed device's inbox"
            case .pendingMissing: "the new device is not in the enroller's pending list"
            case .deviceKeyChanged: "the relay changed the device key"
            case .sessionNeedsIdentity: "a session needs a device identity"
            case .inviteRole: "invites are for admin, member or auditor devices"
            }
        case .auditNoLogKey: "no audit-log key is pinned in this profile"
        case let .auditCheckpointUnsigned(detail): "the checkpoint is not signed by the pinned log key: \(detail)"
        case let .auditLogIncomplete(index, size): "LOG INCOMPLETE: the relay served no entry at index \(index) of the \(size) its checkpoint covers"
        case let .auditRootMismatch(size):
            "ROOT MISMATCH: the \(size) entries served do not hash to the signed checkpoint's root: an entry was altered, removed, reordered or inserted"
        case let .auditRollback(size, previous):
            "ROLLBACK: the relay's log has \(size) entries, fewer than the \(previous) this auditor verified before"
        case let .auditFork(previous, detail):
            "FORK: the relay's log is not an extension of the checkpoint of \(previous) entries this auditor verified before (\(detail)); it shows different histories to different people"
        case let .auditEntryMalformed(index, detail): "entry \(index) is malformed: \(detail)"
        case let .passphraseTooShort(length, minimum):
            "the passphrase has \(length) characters; use at least \(minimum), for example four or more words separated by spaces"
        case .passphraseCommon: "the passphrase is a common password with a few changes; choose several words that are not a known password"
        case let .passphraseGuessable(bits, minimum):
            "the passphrase is too easy to guess (about \(bits) bits, at least \(minimum) needed): avoid repeats, sequences and common words; four or more unrelated words separated by spaces are strong and easy to remember"
        case let .nameUnknown(text, what): "«\(text)» names no known \(Self.thingEn(what))"
        case let .nameNoMatch(text, what, candidates): "«\(text)» names no \(Self.thingEn(what)); candidates:\(candidates)"
        case let .nameAmbiguous(text, what, candidates): "«\(text)» names several \(Self.thingEn(what))s, be more precise:\(candidates)"
        case let .notAnID(text, what, minimum): "«\(text)» is not a\(Self.thingEn(what).hasPrefix("e") ? "n" : "") \(Self.thingEn(what)) id: 32 hex digits, or their first \(minimum) or more"

        case .nothingSent: "Nothing was sent."
        case .consentAbstract: "Record, list, show and withdraw the person's consent."
        case .consentGrantAbstract: "Record the person's consent, with the person present."
        case .consentListAbstract: "The consents recorded on this device."
        case .consentShowAbstract: "Show one consent record."
        case .consentWithdrawAbstract: "Withdraw a consent at once: nothing more is sent under it, and recipients erase their copies."
        case .consentCaseHelp: "Your case label for the person (only its keyed pseudonym leaves this device)."
        case .consentToOrgHelp: "A recipient organisation the person agreed to: its name, part of it, or its id (repeat)."
        case .consentToCategoryHelp: "A partner category the person agreed to (repeat)."
        case .consentPurposeHelp: "A need the sharing is for (repeat)."
        case .consentDataHelp: "A kind of data shared (repeat)."
        case .consentMethodHelp: "How the person agreed: oral, written or electronic."
        case .consentLanguageHelp: "The language the person was informed in (code: fr, en, ro…)."
        case .consentInterpreterHelp: "An interpreter took part."
        case .consentMonthsHelp: "Months the consent lasts (default 6, at most 24)."
        case .consentDepartementHelp: "The person's département, required for the exit programme: 01 to 95, 2A, 2B, 971 to 976."
        case .consentAdultHelp: "You attest that the person is of age (18 or over): required for the exit programme."
        case .consentIdHelp: "The consent id."
        case let .monthsRange(max): "--months must be 1 to \(max)"
        case let .departementCode(value): "--departement: a département code, 01 to 95, 2A, 2B or 971 to 976 (not «\(value)»)"
        case .adultRequired:
            "--adult is required with the exit programme: it is for «any person of age»; for a minor, it is child protection (relais declare)"
        case .departementRequired:
            "--departement is required with the exit programme: an association's accreditation holds for one département, the person's"
        case .departementOnlyExit: "--departement is only for the exit programme (--purpose exit-programme)"
        case let .personText(to, purposes, data, months):
            """
            With your agreement, I will share with: \(to.joined(separator: ", "))
            only what is needed for: \(purposes.joined(separator: ", "))
            (information: \(data.joined(separator: ", "))).
            Your agreement lasts \(months) months. You can withdraw it at any time, as easily as you gave it: tell me and
            I withdraw it at once. What has not been delivered yet is then erased, and the organisations
            that received the referral are told and erase their copy.
            """
        case .personTextHeading: "— To read to the person —"
        case let .interpreterReads(language):
            "No reviewed text in «\(language)»: the interpreter reads it to the person in their language. The consent records that an interpreter took part."
        case .personAgreed: "Has the person agreed to exactly this?"
        case let .consentRecorded(id, until): "Consent recorded: \(id), valid until \(until). Send with --consent \(id)."
        case .noConsent: "No consent recorded on this device."
        case let .consentState(withdrawn, expired): withdrawn ? "withdrawn" : (expired ? "expired" : "valid")
        case let .consentLine(id, state, until, purposes, caseLabel, departement):
            "\(id)  \(state)  until \(until)  \(caseLabel.map { "case “\($0)”  " } ?? "")for \(purposes.joined(separator: ", "))"
                + (departement.map { "  (département \($0))" } ?? "")
        case let .consentShow(id, withdrawn, method, language, interpreter, purposes, recipients, data, legalBasis, from, until,
                              caseLabel, departement, adult):
            """
            consent       \(id)\(withdrawn.map { "  WITHDRAWN on \($0)" } ?? "")
            """ + (caseLabel.map { "\ncase          “\($0)” (this device's label, never sent)" } ?? "") + """

            method        \(method), in «\(language)»\(interpreter ? " with an interpreter" : "")
            purposes      \(purposes.joined(separator: ", "))
            recipients    \(recipients.joined(separator: ", "))
            data          \(data.joined(separator: ", "))
            legal basis   \(legalBasis)
            valid         \(from) to \(until)
            """ + (departement.map { "\ndépartement   \($0)" } ?? "")
                + (adult == true ? "\nof age        attested by the professional" : "")
        case let .consentWithdrawn(id, deleted, notified):
            "Consent \(id) withdrawn. The relay deleted \(deleted) undelivered envelope(s) and told \(notified) organisation(s) to erase their copies."

        case .sendAbstract: "Seal a referral for every current device of the recipient organisations and send it."
        case .inboxAbstract: "List the envelopes waiting for this device."
        case .openAbstract: "Fetch, verify and open an envelope; show the referral and keep it in the encrypted local store."
        case .ackAbstract: "Acknowledge an opened envelope; the relay deletes it once every addressed device has."
        case .replyAbstract: "Reply to an opened referral, to the sender's organisation."
        case .minorStatusRequired: "--minor-status is required: adult, minor or alleged minor (when in doubt about the age: alleged minor)"
        case .kindNotReply: "--kind: a reply is sent with `relais reply`"
        case .caseNotFileSubject: "--case does not name the person of the referral in the --file: check the case label (nothing was sent)"
        case .caseRequired: "--case is required: your case label for the person, the one given to `relais consent grant --case`"
        case .coverRequired:
            "give --consent (the person's recorded consent) or, for a child-protection report, --child-protection-declaration"
        case .senderRequired: "--sender-name and --sender-role are required"
        case .expiresRange: "--expires-in-days must be 1 to 30"
        case .childrenFlagsNeedCount: "--children-with-the-person and --children-at-risk go with --children N (the number of children)"
        case .leadFlagsNeedName: "--lead-organisation, --lead-phone and --lead-email go with --lead-professional NAME"
        case .exitFlagsOnlyExit: "--exit-request, --months-used and --departement are for an exit-programme request (--kind exit-programme-request)"

        case .exitRequestNeeds: "an exit-programme request gives --exit-request (first-request or renewal) and --departement (the person's)"
        case let .cannotRead(file): "cannot read \(file)"
        case .sendQuestion: "Send it?"
        case .replyQuestion: "Send this reply?"
        case let .sent(id, devices): "Sent: envelope \(id), sealed for \(devices) device(s)."
        case let .replySent(id): "Reply sent: envelope \(id)."
        case let .erasedByWithdrawal(n): "Erased \(n) referral(s) kept under a consent the person withdrew."
        case .noEnvelope: "No envelope waiting."
        case let .inboxLine(id, from, kind, received, expires):
            "\(id)  from “\(from)”\(kind.map { " (\($0))" } ?? "")  received \(received)  \(expires)"
        case let .attention(what): "Warning: \(what)."
        case .emergencyNotice:
            "Danger level 3: Relais is not an emergency channel. In immediate danger call 17 or 112 (police, emergencies); for a child at risk call 119."
        case let .acknowledged(deleted): deleted ? "Acknowledged; every addressed device has it, so the relay deleted it." : "Acknowledged."
        case .outcomeFlagsNeedOutcome: "--appointment-at, --reason, --reoriented-to, --opinion, --decision and --note describe an outcome: give it with --outcome"
        case let .outcomeNeeds(status, flag): "a «\(status)» answer gives \(flag): the organisation that referred the person must know what follows"
        case let .notADateTime(text): "--appointment-at: «\(text)» is not a date and time («2026-12-10 14:30», local time, or ISO 8601)"
        case let .yesNo(b): b ? "yes" : "no"
        case let .field(f): f.en
        case let .aboutToSend(kind): "About to seal and send this referral (\(kind)):"
        case let .pseudonym(p): "pseudonym \(p)"
        case let .caseSubject(s): "case \(s)"
        case let .personLine(name, firstName, age, minor, languages, interpreter, status):
            ([name + (firstName.map { ", first name \($0)" } ?? ""), age, minor] + (languages.map { ["languages \($0.joined(separator: ", "))"] } ?? [])
                + (interpreter ? ["interpreter needed"] : []) + (status.map { ["status \($0)"] } ?? [])).joined(separator: "; ")
        case let .safetyLine(level, safe): "danger level \(level); \(safe ? "safe to call" : "NOT safe to call")"
        case let .freeTextSummary(characters, attachments): "\(characters.map { "\($0) characters" } ?? "none"), \(attachments) attachment(s)"
        case let .coveredBy(declaration, id): "\(declaration ? "child-protection declaration" : "consent") \(id)"
        case let .recipientLine(name, category, departements): "\(name) (\(category), \(departements.joined(separator: ", ")))"
        case let .deviceLine(id, fingerprint): "device \(id)  fingerprint \(fingerprint)"
        case let .deviceSkipped(id, reason): "(device \(id) skipped: \(reason))"
        case let .deviceSkippedWarning(id, reason): "relais: warning: device \(id) skipped: \(reason)"
        case let .referralHeading(id, kind, replyTo): "Referral \(id) — \(kind)\(replyTo.map { " (reply to \($0))" } ?? "")"
        case let .verifiedSender(device, fingerprint): "device \(device), signature verified, fingerprint \(fingerprint)"
        case let .openExpires(date, relative, retentionDays, ack):
            "\(date), \(relative); kept locally \(retentionDays) days. Acknowledge with `relais ack \(ack)`."
        case let .situationParts(part, value): "\(part.en): \(value)"
        case let .minorLine(unaccompanied, aged16):
            "unaccompanied foreign minor: \(unaccompanied ? "yes" : "no"); 16 or over, complaint filed: \(aged16 ? "yes" : "no")"
        case let .exitLine(first, months, departement):
            "\(first ? "first request" : "renewal"), \(months) months already completed, département \(departement)"
        case let .characters(n): "\(n) characters"

        case let .outcome(status, opinion, decision, at, reason, reorientedTo):

            status + (opinion.map { ": " + $0 } ?? "") + (decision.map { ": " + $0 } ?? "") + (at.map { " on " + $0 } ?? "")
                + (reason.map { " (reason: \($0))" } ?? "") + (reorientedTo.map { " to organisation " + $0 } ?? "")

        case let .attachHelp(max, limitBytes):
            "Attach a file (repeat, at most \(max), \(ByteSize.human(limitBytes, .en)) in all): PDF, PNG, JPEG, WebP or HEIC image, UTF-8 text."
        case .allowAnyTypeHelp: "Accept a file of another type (sent as application/octet-stream)."
        case .saveAttachmentsHelp: "Save the attachments into this folder (created 0700; files 0600, never overwritten)."
        case .allowAnyTypeAlone: "--allow-any-type goes with --attach FILE"
        case let .attachmentUnreadable(path): "cannot read the attached file «\(path)»; nothing was sent"
        case let .attachmentsTooLarge(total, limitBytes):
            "attachments too large: at least \(ByteSize.human(total, .en)), the limit is \(ByteSize.human(limitBytes, .en)) in all (an envelope holds at most 4 MiB); nothing was sent"
        case let .attachmentTypeRefused(path):
            "«\(path)» is neither a PDF, an image (PNG, JPEG, WebP, HEIC) nor UTF-8 text: refused (--allow-any-type would send it as is); nothing was sent"
        case let .attachmentsTooMany(count, max): "\(count) attachments: at most \(max); nothing was sent"
        case let .attachmentFolder(path): "cannot create the folder «\(path)», or it is not a folder"
        case let .attachmentUnwritable(name): "cannot write the attachment «\(name)»"
        case let .attachmentMismatch(name, declared, detected):
            "Warning: the attachment «\(name)» is declared \(declared), but its content \(detected.map { "is " + $0 } ?? "is none of the accepted types"); open it with care."
        case let .attachmentListed(name, type, size, savedAs):
            "Attachment: \(name) (\(type), \(ByteSize.human(size, .en)))" + (savedAs.map { ", saved: " + $0 } ?? "")

        case .casesAbstract: "Follow each case: what was sent, delivered, acknowledged, the last answer, whether the consent is valid."
        case .casesOfflineHelp: "Do not ask the relay (what this device already knows)."
        case .noCases: "No case followed on this device."
        case let .caseHeading(label, pseudonym): "Case \(label.map { "«\($0)»" } ?? "received") — pseudonym \(pseudonym)"
        case let .caseConsentValid(until, id): "  Consent:       valid until \(until) (\(id))"
        case let .caseConsentNone(withdrawnOn, expiredOn):
            "  Consent:       no valid consent (\(withdrawnOn.map { "withdrawn on \($0)" } ?? "expired on \(expiredOn ?? "")")): record a new consent before sending anything"
        case .caseConsentNotHere: "  Consent:       not recorded on this device"
        case let .caseSent(id, kind, on, state): "  Sent \(id):  \(kind), on \(on), \(state)"
        case let .caseReceived(reply, id, on): "  \(reply ? "Reply received" : "Referral received") \(id) on \(on)"
        case let .caseLastReply(what): "  Last reply: \(what)"
        case let .caseDeclared(on, until, id): "  Child-protection declaration \(id) on \(on), valid until \(until)"
        case let .caseOutsideReport(to, on): "  Report made outside Relais: \(to), on \(on)"
        case let .sentStateUnknown(expired): expired ? "expired" : "sent (state unknown to the relay)"
        case .sentStateDeleted: "deleted from the relay (received and acknowledged by every device, or consent withdrawn)"
        case .sentStateExpired: "expired"
        case let .sentStateDelivered(delivered, acknowledged, addressed):
            "delivered to \(delivered)/\(addressed) device(s), acknowledged by \(acknowledged)/\(addressed)"
        case .replyWithoutOutcome: "reply without an outcome (a referral of format 1)"

        case .declareAbstract:
            "Declare the legal basis of a child-protection report for a case (without consent: CASF L.226-2-1 / L.226-2-2)."
        case .declareCaseHelp: "The case's local label, as for consent grant --case (only its pseudonym leaves this device)."
        case .declareMinorStatusHelp: "Minor or alleged minor."
        case .declareArticleHelp: "L.226-2-1 (information of concern) or L.226-2-2."
        case let .declareValidDaysHelp(max): "Days of validity, 1 to \(max) (default: \(max))."
        case let .declareMaxReportsHelp(max, def): "Number of reports it allows, 1 to \(max) (default: \(def))."
        case .declareMinorStatus: "--minor-status is minor or alleged minor"
        case .declareArticle: "--article is L.226-2-1 or L.226-2-2"
        case let .declareValidDays(max): "--valid-days must be 1 to \(max)"
        case let .declareMaxReports(max): "--max-reports must be 1 to \(max)"
        case .caseEmpty: "--case cannot be empty"
        case let .declared(id, label, article, days, until, reports):
            """
            Child-protection declaration recorded: \(id) (case «\(label)», \(article)).
            For \(days) day(s) (until \(until)), it allows at most \(reports) report(s) for this case,
            to child protection (CRIP), the prosecutor or the police:
              relais send --kind child-protection-report --child-protection-declaration \(id) --case \(label) …
            The other referrals of this case (shelter, health…) may go during this period, with the person's consent.
            """
        case .outsideReportAbstract: "Record a child-protection report made outside Relais (to whom, when) for a case."
        case let .outsideReportDiscussion(days):
            """
            The guide: every professional who learns of a minor's prostitution has a duty to act, even if the \
            minor demands silence: report to the département's social services (CRIP), the police, the courts \
            or 119. Once the report is recorded, the other referrals of this case may go for \(days) days. The \
            relay keeps a pseudonymous trace: the organisation, to whom and when, never the name or the case label.
            """
        case .outsideReportToHelp:
            "To whom the report was made: crip (the département's child protection), police (police or gendarmerie), justice (prosecutor), 119."
        case let .outsideReportDateHelp(days): "The day of the report, YYYY-MM-DD (Paris time; not in the future, not more than \(days) days ago)."
        case .outsideReportTo: "--to is crip, police, justice or 119"
        case .outsideReportDateFormat: "--date is written YYYY-MM-DD (for example 2026-03-14)"
        case .outsideReportFuture: "--date is in the future: give the day the report was made"
        case let .outsideReportTooOld(days):
            "--date: the report is more than \(days) days old; for today's situation, make a new report (relais declare, or outside Relais then relais outside-report)"
        case let .outsideReportSummary(label, to, day):
            """
            Report made outside Relais, case «\(label)»: \(to), on \(day).
            The relay will keep a pseudonymous trace of it (organisation, recipient, date).

            """
        case .outsideReportQuestion: "Record this report?"
        case let .outsideReportRecorded(id, to, day, label, until):
            """
            Report recorded: \(id) (\(to), on \(day)).
            The referrals of case «\(label)» may go until \(until), with the person's consent.
            """
        case let .outsideReportRecipient(r):
            switch r {
            case .crip: "to the département's child protection (CRIP)"
            case .police: "to the police or gendarmerie"
            case .justice: "to the public prosecutor"
            case .hotline119: "to 119 (child-at-risk hotline)"
            }
        case .notConfirmedNothingRecorded: "not confirmed: add --yes to proceed without a terminal; nothing was recorded"
        case .cancelledNothingRecorded: "cancelled; nothing was recorded"

        case .guidedDiscussion:
            """
            At a terminal, what is missing is asked, one question at a time: for a list, type the number, the label or the \
            identifier; Enter skips an optional question; an invalid answer is asked again; Ctrl-D gives up without sending or \
            recording anything. The summary is then shown before you confirm. Without a terminal (standard input redirected), \
            nothing is asked: a missing required option is a usage error (64) that names it.
            """
        case let .guidedMissing(option):
            "\(option) is missing: without a terminal relais asks nothing; give \(option) on the command line"
        case let .guidedQuestion(q):
            switch q {
            case .caseLabel: "The person's case label"
            case .consent: "The person's consent"
            case .recipients: "Recipient organisations"
            case .needs: "Needs"
            case .minorStatus: "Adult or minor (when in doubt about the age: alleged minor)"
            case .senderName: "Your name, as the partner will read it"
            case .senderRole: "Your role"
            case .text: "Free text for the partner"
            case .consentRecipients: "Recipients (organisations or partner categories)"
            case .purposes: "Purposes (the needs for which the person agrees to sharing)"
            case .data: "Data shared"
            case .envelope: "The referral you are answering"
            case .outcome: "Outcome"
            case .appointmentAt: "Date and time of the appointment (YYYY-MM-DD HH:MM, local time)"
            case .reason: "Reason for refusing"
            case .reorientedTo: "Organisation the person is referred on to (its name)"
            case .opinion: "The commission's opinion"
            case .decision: "The prefect's decision"
            case .departement: "The person's département (01 to 95, 2A, 2B, 971 to 976)"
            case .adult: "Do you attest that the person is an adult (18 or over)?"
            case .cover: "What the send rests on (the person's consent, or a child-protection declaration)"
            case .kind: "Kind of send"
            case .exitRequest: "Exit-programme request"
            case .monthsUsed: "Months of the programme already completed"
            case .unaccompaniedMinor: "Is the person an unaccompanied foreign minor?"
            case .aged16WithComplaint: "Is the person 16 or over, having filed a complaint for trafficking or procuring?"
            }
        case .guidedOptional: "(optional: Enter to skip)"
        case .guidedSeveral: "(one or more numbers, separated by commas)"
        case let .guidedAsk(question): "\(question): "
        case .guidedAnswerRequired: "an answer is needed (Ctrl-D to give up without sending anything)"
        case let .guidedNotAChoice(value, count):
            "«\(value)» is not in the list: type a number from 1 to \(count), or the label"
        case .guidedAborted: "given up; nothing was sent or recorded"
        case let .guidedNoConsent(label):
            "no valid consent is recorded on this device for case «\(label)»: record it first (relais consent grant), or give --consent or --child-protection-declaration"
        case .guidedNothingToAnswer: "no referral opened on this device to answer: open it first (relais open)"
        case let .guidedCategory(category): "any organisation of category «\(category)»"
        case let .guidedConsentChoice(id, purposes, until):
            "consent \(id): \(purposes.joined(separator: ", ")); valid until \(until)"
        case let .guidedReferralChoice(id, kind, from, opened): "\(kind) from \(from), opened on \(opened) (\(id))"
        case let .guidedDeclarationChoice(id, minor, until): "child-protection declaration \(id) (\(minor)); valid until \(until)"
        case let .guidedDefault(value): "(Enter: \(value))"
        case let .guidedNoChoice(question):
            "nothing to choose from for «\(question)»: the list is empty (see relais directory and relais cases); nothing was sent or recorded"

        case .initAbstract: "Create this device's keys in a new profile (the relay's keys are pinned at enrolment, from the invite)."
        case .initRelayHelp: "The relay URL, for example https://relais.example.org"
        case .initRelayURL: "--relay must be a URL such as https://relais.example.org"
        case .newPassphrasePrompt: "New passphrase for this profile: "
        case let .profileCreated(directory, device, fingerprint):
            """
            Profile created in \(directory)
            This device:      \(device)
            Its fingerprint:  \(fingerprint)
            Nothing is trusted yet: the relay's keys are checked against your invite when you enrol.
            Next: `relais enrol <invite>` with the invite your organisation gave you
            (the relay's operator: `relais enrol --operator <operator invite>`).
            """
        case .enrolAbstract: "Redeem a one-time invite with this device's key."
        case .enrolInviteHelp: "The invite code (ri2_…)."
        case .enrolOperatorHelp: "This is the relay's operator invite: this device becomes the operator, the root of the directory."
        case .notAnInvite: "that is not an invite code (ri2_<id>_<secret>_<anchor>)"
        case let .enrolled(role, active, operatorFingerprint, fingerprint):
            active
                ? "Enrolled as \(role); this device is active. The relay's keys matched the invite; operator fingerprint \(operatorFingerprint)."
                : """
                  Enrolled as \(role), pending approval. Read this fingerprint to the person who invited you:
                    \(fingerprint)
                  Then run `relais whoami` until it says active.
                  """
        case .passphraseAbstract: "Change this profile's passphrase (the keystore is re-encrypted under a fresh salt)."
        case .passphraseDiscussion:
            "Without a terminal the new passphrase is read from RELAIS_NEW_PASSPHRASE. Copies of the old keystore file still open with the old passphrase."
        case let .passphraseChanged(directory):
            "Passphrase changed for \(directory). Backups of the old keystore file still open with the old one: delete them."
        case .whoamiAbstract: "Show this device, its role, organisation and status."
        case let .whoami(device, fingerprint, role, organisation, status, relay, warnings):
            ([
                "device        \(device)", "fingerprint   \(fingerprint)", "role          \(role)", "organisation  \(organisation ?? "none")",
                "status        \(status)", "relay         \(relay)",
            ] + warnings.map { "warning       organisation key: \($0)" }).joined(separator: "\n")
        case .fingerprintAbstract: "Show the fingerprint of this device, of another device, or of an organisation's devices."
        case .fingerprintIdHelp: "A device id, or an organisation (its name, part of it, or its id); none for this device."
        case let .safetyNumber(n): "safety number with this device: \(n)"
        case .trustAbstract: "Accept an organisation's current devices after comparing their fingerprints with it out of band."
        case .trustOrganisationHelp: "The organisation: its name, part of it, or its id."
        case .trustQuestion: "Do these fingerprints match what the organisation told you?"
        case let .trusted(count, organisation): "Trusted \(count) device(s) of \(organisation)."

        case .directoryAbstract: "List and search organisations; every record is verified against the pinned operator key."
        case .directoryDiscussion:
            """
            Filters combine. National organisations match every --departement. An organisation published before version 2 \
            of the record says nothing of services, languages or public, so it matches no --need, --language or --public.
            """
        case .directoryCategoryHelp: "Partner category."
        case .directoryDepartementHelp: "Département code, for example 93."
        case .directoryNeedHelp: "A need it meets."
        case .directoryLanguageHelp: "A language spoken, ISO 639 (fr, en, ro…)."
        case .directoryPublicHelp: "Whom it receives."
        case .directoryAccreditedHelp: "Only organisations accredited for the exit programme today (in --departement, if given)."
        case .departementFormat: "--departement takes a code such as 75, 2A or 971"
        case .languageFormat: "--language takes a lowercase ISO 639 code such as fr, en, ro"
        case let .publicChoices(choices): "--public takes \(choices.joined(separator: ", "))"
        case .noOrganisation: "No organisation matches."
        case .nationalScope: "national"
        case let .publicServed(women, men, trans, minors, ages, traffickingOnly):
            ([women ? "women" : nil, men ? "men" : nil, trans ? "trans people" : nil, minors ? "minors accepted" : "adults only",
              ages.map { "ages \($0)" }, traffickingOnly ? "trafficking victims only" : nil] as [String?]).compactMap { $0 }.joined(separator: ", ")
        case let .directoryLine(line, value):
            switch line {
            case .publicServed: "  public: \(value)"
            case .languages: "  languages: \(value)"
            case .services: "  services: \(value)"
            case .phone: "  phone: \(value)"
            case .hours: "  hours: \(value)"
            }
        case let .accreditedUntil(until): "  accredited (exit programme) until \(until)"
        case let .exitProgrammeIn(departement, state, from, until):
            "  exit programme in \(departement): \(["accredited", "lapsed", "upcoming"][max(0, min(2, state))]), \(from) to \(until)"

        case .adminAbstract: "Operator and organisation-admin commands."
        case .createOrgAbstract: "Create an organisation, or publish a new version of one (--org), signed by the operator key (operator only)."
        case .inviteAbstract: "Issue a one-time invite: the operator for admins and auditors, an admin for its organisation."
        case .pendingAbstract: "Devices that redeemed your invites and wait for your approval."
        case .approveAbstract: "Sign a pending device's record after comparing its fingerprint with its owner."
        case .devicesAbstract: "List an organisation's devices (default: your own organisation)."
        case .revokeAbstract: "Revoke a device at once (operator, or an admin of its organisation)."
        case let .organisationPublished(created, id, name): "Organisation \(created ? "created" : "updated"): \(id)  \(name)"
        case let .inviteIssued(until, code): "Invite (one use, until \(until)); give it to the person only:\n\(code)"
        case .noPending: "No pending enrolment."
        case let .pendingMismatch(why): "\n    DOES NOT MATCH YOUR INVITE: \(why); approving it will be refused"
        case let .asksToBecome(device, what): "Device \(device) asks to become: \(what)"
        case let .deviceFingerprint(device, fingerprint): "Device \(device) fingerprint: \(fingerprint)"
        case .approveQuestion: "Does the person read you exactly these digits?"
        case let .approved(device, role): "Approved: \(device) is an active \(role)."
        case let .revokeQuestion(device): "Revoke device \(device)? It will receive nothing more."
        case let .revoked(device): "Revoked: \(device)."
        case let .roleOf(role, organisation, id):
            id == nil ? "\(role) (no organisation)" : "\(role) of \(organisation ?? "an organisation not in the directory") (\(id ?? ""))"

        case .keysAbstract: "Prekey management."

        case .rotateAbstract: "Publish a new prekey now, and erase private prekeys no living envelope can need."
        case .purgeAbstract: "Erase opened referrals older than this profile's retention period, and expired prekeys."
        case .contactsAbstract: "The guide's useful contacts: 119, 3919, 0 800 05 95 95, 115, AcSé, online reporting (with their hours)."
        case .contactsHeading: "Useful contacts (the Île-de-France guide for professionals; the services answer in French)"
        case let .prekeyPublished(held):
            "New prekey published. Private prekeys held: \(held) (each kept until no envelope sealed to it can be alive)."
        case let .purged(erased, retentionDays, kept): "Erased \(erased) referral(s) past the \(retentionDays)-day retention; \(kept) kept."

        case .configAbstract: "Show or change this profile's settings."





        case .configRetentionHelp: "Days an opened referral stays in the encrypted local store (default 90)."
        case .configRelayHelp: "The relay's new address (the same relay: keys and pins are kept)."
        case .configRelayURL: "--relay must be an http(s) URL"
        case .configWitnessHelp: "A witness's verifier key (relais-witness key), repeatable: the list replaces the profile's; each checkpoint must then be cosigned by enough of them."
        case .configWitnessesRequiredHelp: "How many of the witnesses must have cosigned each checkpoint (k of n; default 1)."
        case .configNoWitnessesHelp: "Require no witness any more."
        case let .configWitnessKey(why): "--witness: \(why)"
        case let .configWitnesses(required, keys):
            keys.isEmpty ? "witnesses       none required" : "witnesses       \(required) of \(keys.count) required\n" + keys.map { "  \($0)" }.joined(separator: "\n")
        case let .configShow(relay, retentionDays, language):
            "relay           \(relay)\nretention days  \(retentionDays)\nlanguage        \(language ?? "the system's")"
        }
    }
}

extension ReferralField {
    var en: String {
        switch self {
        case .needs: "Needs:"
        case .person: "Person:"
        case .safety: "Safety:"
        case .freeText: "Free text:"
        case .coveredBy: "Covered by:"
        case .to: "To:"
        case .device: "Device:"
        case .expires: "Expires:"
        case .from: "From:"
        case .contact: "Contact:"
        case .codeWord: "Code word:"
        case .text: "Text:"
        case .situation: "Situation:"
        case .lead: "Lead professional:"
        case .minor: "Minor:"
        case .exitProgramme: "Exit programme:"
        case .outcome: "Outcome:"
        case .note: "Note:"
        }
    }
}

extension ReferralSituationPart {
    var en: String {
        switch self {
        case .exploitation: "exploitation"
        case .inDanger: "in danger locally"
        case .moveAway: "needs to move away"
        case .currentDepartement: "current département"
        case .avoid: "départements to avoid"
        case .children: "children"
        case .childrenWith: "with the person"
        case .childrenAtRisk: "at risk"
        case .threats: "threats to relatives"
        case .debt: "debt"
        case .documents: "identity documents held by others"
        case .complaint: "complaint filed"
        case .pregnancy: "pregnancy"
        case .interview: "interview"
        }
    }
}

extension DirectoryInclusion.Subject {
    /// What a directory answer served (`Message.directoryNotLogged`).
    var englishLabel: String {
        switch self {
        case let .organisation(id): "the record of organisation \(id)"
        case let .deviceRecord(id): "the record of device \(id)"
        case let .revocation(id): "the revocation of device \(id)"
        case let .prekey(id): "a prekey of device \(id)"
        }
    }
}
