public import RelaisCore
import Synchronization

/// Every user-facing sentence of the `relais` CLI (issue 16), as a key with its arguments. Each
/// language renders every key in its own file (`Messages+fr.swift`, `Messages+en.swift`), as an
/// exhaustive `switch`: a key without its French or its English text does not build.
///
/// Add a key here (with its arguments, never pre-rendered text in one language), then its text in
/// both files. Enumerated values go in as their `Labelled` value or already labelled
/// (`need.label(Messages.language)`), never as identifiers, in human output.
public enum Message: Sendable, Equatable {
    // MARK: general
    /// `relais --help`: what the tool is.
    case relaisAbstract
    /// `relais --help`: the exit statuses.
    case exitStatuses
    /// The suffix of a yes/no question.
    case confirmSuffix
    /// `--yes` is needed when no terminal can answer.
    case notConfirmedNoTerminal
    /// The user answered no.
    case cancelledNothingSent
    /// An answer that is neither yes nor no.
    case answerYesOrNo
    /// An enumerated option's value names nothing: the option, the value, the accepted forms.
    case unknownChoice(option: String, value: String, choices: [String])
    /// `--lang`'s help, and its refusal.
    case langHelp
    case langUnknown(String)
    /// `--profile`, `--json`, `--yes` help.
    case profileHelp
    case jsonHelp
    case yesHelp
    /// The passphrase prompt.
    case passphrasePrompt
    case passphraseRepeatPrompt

    // MARK: watch
    case watchAbstract
    case watchExecHelp
    case watchOnceHelp
    /// On stderr at the start: watching, with `waiting` envelopes already in the inbox.
    case watchWatching(waiting: Int)
    /// One arrival: the sending organisation's name (nil: not in the verified directory), the
    /// cover's kind when known (labelled), the expiry in local time and in words.
    case watchArrival(organisation: String?, kind: String?, expires: String, expiresIn: String)
    case watchUnreachable(retryInSeconds: Int)
    case watchReachable
    case watchStopped
    case watchExecFailed(status: Int32)

    // MARK: errors
    /// Any relay refusal shown to the user: its status and its stable code, translated.
    case relayRefused(status: Int, code: String, message: String)
    case relayUnexpected(status: Int)
    case verificationFailed(String)
    case relayUnreachable
    case unexpectedFailure(type: String)

    // MARK: the client's log state (SPEC.md, "The client's log state"), evidence
    /// The relay's checkpoint is smaller than the one this device verified, not consistent with it,
    /// or not signed by the pinned log key: the client stops, the evidence is kept.
    case logRollback(kept: UInt64, served: UInt64)
    case logFork(kept: UInt64, served: UInt64)
    case logBadSignature
    /// A directory record the relay serves is not in its log (SPEC.md, "Directory records", "In the
    /// log"): no entry at the index it gave carries it, in the checkpoint this device verified.
    case directoryNotLogged(DirectoryInclusion.Subject, why: String)
    // `relais monitor` (SPEC.md, "Monitoring an organisation")
    case monitorAbstract
    case monitorStrictHelp
    case monitorAdminsOnly
    case monitorNoCheckpoint
    case monitorOutOfOrder(index: UInt64)
    case monitorEntryNotInLog(index: UInt64, why: String)
    case monitorAlertUnverified
    case monitorAlertNotAnAdmin(role: String)
    /// The report's head: the organisation, the range read, the checkpoint size.
    case monitorRange(organisation: String, from: UInt64, next: UInt64)
    case monitorNothingNew
    /// One line: what happened (a `MonitorReport.Kind`), to which device, by whom.
    case monitorLine(index: UInt64, kind: String, device: String?, role: String?, by: String?, byRole: String?, byOrganisation: String?)
    case monitorAlert(why: String)
    case monitorPrekeys(count: Int)
    case monitorAlerts(count: Int)
    /// The checkpoint lacks the cosignatures of `required` of the witnesses this profile requires
    /// (SPEC.md, "Witnesses"): the client stops.
    case logNotWitnessed(required: Int, got: Int, witnesses: Int)
    case evidenceAbstract
    case evidenceExportAbstract
    case evidenceOutHelp
    /// `relais evidence export`: how many findings were written, and where (nil: standard output).
    case evidenceWritten(count: Int, path: String?)
    case evidenceFileExists(path: String)

    // MARK: errors of this device (LocalError, KeystoreError)
    case noProfile(path: String)
    case profileExists(path: String)
    case notActive(status: String)
    case keyChanged(device: String, pinned: String, now: String)
    /// `devices`: one «id  fingerprint f» line each.
    case newDevices(organisation: String, id: String, devices: [String])
    /// A refusal of the consent rules (`why`, in French: it names the guide's rule).
    case consentRefusal(String)
    case notAKeystore
    case keystoreVersion(Int)
    case wrongPassphrase
    case referralInvalid(String)
    case passphraseEmpty(variable: String)
    case passphraseNoTerminal(variable: String)
    case passphrasesDiffer
    /// `--passphrase-file`: its help, a file others may read (refused, with its mode), a file that cannot be read.
    case passphraseFileHelp
    case passphraseFileExposed(path: String, mode: String)
    case passphraseFileUnreadable(path: String)
    case idFormat(what: String)

    // MARK: refusals of the guide's rules and of this device (RelaisCore's reasons, LocalDevice's checks)
    /// A refusal of `CoverPolicy` or `ReferralRules`, with the recipient's name from the verified directory when it names one.
    case ruleRefusal(RuleReason, recipientName: String?)
    /// Who may do what: only an organisation's device, the operator's, an auditor's.
    case organisationDeviceOnly, operatorOnlyCreatesOrganisations, auditorOnlyReadsLog, withdrawOnlyRecordingOrganisation
    case consentNotHere(id: String)
    case consentNotRecordedHere(id: String)
    case consentUnknownToOrganisation(id: String)
    case declarationNotHere(id: String)
    case replyCoverNotHere
    case answerOnlyToCover
    /// Needs the consent's purposes do not list, and data categories it does not list (labelled in each language).
    case needsOutsideConsent([Referral.Need])
    case dataOutsideConsent(categories: [DataCategory], id: String)
    case consentRecordMismatch(id: String)
    case exitDepartementMismatch(requested: String, consented: String)
    case caseNumberEmpty
    case noOrganisationKey
    case caseNotConsentSubject(consent: String)
    case referralNotConsentSubject(consent: String)
    /// A referral about a minor before the report: the hotlines notice, and the two ways on.
    case minorStopAndReport
    case relayURLFormat(String)
    case plainHTTPRefused(host: String)
    case retentionRange(max: Int)
    case noRecipient
    case organisationUnknown(id: String)
    case noReceivingDevice(organisation: String)
    case noCurrentPrekey
    case envelopeNotInInbox(id: String)
    case openBeforeAck(id: String)
    case openBeforeReply(id: String)
    case replyNeedsOutcome
    case replyV1NoOutcome(id: String)
    case replyV1NeedsText(id: String)
    case pendingEnrolmentUnknown(device: String)
    case approveNoInvite(device: String, why: String?)
    case approveFingerprintMismatch(device: String)
    /// Why a pending enrolment does not match the invite this device issued (roles labelled).
    case inviteNotIssuedHere(invite: String)
    case inviteRoleDiffers(reported: String, invite: String, issued: String)
    case inviteOrganisationDiffers(reported: String?, invite: String, issued: String?)
    case inviteExpired(invite: String, at: String)
    case operatorAlreadyExists
    case operatorInviteGiven
    case fileError(path: String, reason: String)
    case cannotCreate(path: String)
    case cannotWrite(path: String)
    /// A check of this profile's own files failed: a key, a state file.
    case damaged(LocalPart)
    case damagedFile(path: String, detail: String?)
    /// A check of what the relay showed failed (a lying relay, or an attack on the way).
    case relayNoLogKey
    case inviteWithoutAnchor
    case inviteAnchorMismatch(anchor: String, reported: String)
    case otherOperatorPinned
    case noOperatorPinned(relayHasNone: Bool)
    case issuedInviteAnchorMismatch
    case organisationRecordUnsigned(detail: String)
    case organisationRolledBack(id: String, served: UInt64, seen: UInt64)
    case deviceChainTooLong
    case deviceRecordMissing(device: String)
    case deviceKeyMalformed(device: String)
    case deviceIdMismatch
    case deviceSelfSignedNotOperator(device: String)
    case deviceRecordInvalid(device: String, detail: String)
    case deviceDescriptionDiffers(device: String)
    case deviceEnrolledWrongly(device: String, role: String)
    case revocationInvalid(device: String, detail: String)
    case revocationNamesOther
    case deviceNotOfOrganisation(device: String, organisation: String, role: String, actual: String?, isOther: Bool)
    case deviceNotRecipient(device: String)
    case noDeviceToSeal
    case envelopeErasedDeliveredAgain(id: String)
    case envelopeFromRevoked(id: String, device: String, revokedAt: String, createdAt: String)
    case keyPackageInvalid(detail: String)
    case keyPackageWrongGiver(giver: String, role: String, giverOrganisation: String?, isThisOrganisation: Bool, organisation: String)
    case keyPackageUnopenable(giver: String, detail: String)
    case otherOrganisationKey(offered: String, giver: String, held: String, heldGiver: String)
    /// Something the relay sent is malformed.
    case relayMalformed(RelayItem)
    case relayOtherOperatorKey
    case demoCheck(DemoCheck)
    /// The auditor's checks of the log.
    case auditNoLogKey
    case auditCheckpointUnsigned(detail: String)
    case auditLogIncomplete(index: UInt64, size: UInt64)
    case auditRootMismatch(size: UInt64)
    case auditRollback(size: UInt64, previous: UInt64)
    case auditFork(previous: UInt64, detail: String)
    case auditEntryMalformed(index: UInt64, detail: String)
    /// A weak passphrase, and why.
    case passphraseTooShort(length: Int, minimum: Int)
    case passphraseCommon
    case passphraseGuessable(bits: Int, minimum: Int)
    /// A name or id that designates no organisation (or envelope…) here, or several.
    case nameUnknown(text: String, what: String)
    case nameNoMatch(text: String, what: String, candidates: String)
    case nameAmbiguous(text: String, what: String, candidates: String)
    case notAnID(text: String, what: String, minimumPrefix: Int)

    // MARK: consent
    /// A consent refusal of the guide's rules, the sentence that ends it.
    case nothingSent
    case consentAbstract
    case consentGrantAbstract
    case consentListAbstract
    case consentShowAbstract
    case consentWithdrawAbstract
    case consentCaseHelp
    case consentToOrgHelp
    case consentToCategoryHelp
    case consentPurposeHelp
    case consentDataHelp
    case consentMethodHelp
    case consentLanguageHelp
    case consentInterpreterHelp
    case consentMonthsHelp
    case consentDepartementHelp
    case consentAdultHelp
    case consentIdHelp
    case monthsRange(max: Int)
    case departementCode(String)
    case adultRequired
    case departementRequired
    case departementOnlyExit
    /// The text read to the person, in `language` (`fr`, `en`): labels only.
    case personText(to: [String], purposes: [String], data: [String], months: Int)
    case personTextHeading
    /// No reviewed text in the person's language: the interpreter reads this one.
    case interpreterReads(language: String)
    case personAgreed
    case consentRecorded(id: String, until: String)
    case noConsent
    case consentState(withdrawn: Bool, expired: Bool)
    /// One consent of `consent list`: the person's case by its local label when known, and for the
    /// exit programme the person's département.
    case consentLine(id: String, state: String, until: String, purposes: [String], caseLabel: String?, departement: String?)
    /// `consent show`: recipients by name; the département and the attested majority of an
    /// exit-programme consent; the case's local label (never leaves the device).
    case consentShow(id: String, withdrawn: String?, method: String, language: String, interpreter: Bool, purposes: [String],
                     recipients: [String], data: [String], legalBasis: String, from: String, until: String,
                     caseLabel: String?, departement: String?, adult: Bool?)
    case consentWithdrawn(id: String, deleted: Int, notified: Int)

    // MARK: referrals (send, inbox, open, ack, reply)
    case sendAbstract, inboxAbstract, openAbstract, ackAbstract, replyAbstract
    case minorStatusRequired, kindNotReply, caseRequired, coverRequired, senderRequired, expiresRange
    /// `send --file F --case L`: L does not name the person of the referral in F (the label is not repeated).
    case caseNotFileSubject
    case childrenFlagsNeedCount, leadFlagsNeedName, exitFlagsOnlyExit, exitRequestNeeds
    case cannotRead(String)
    case sendQuestion, replyQuestion
    case sent(id: String, devices: Int)
    case replySent(id: String)
    case erasedByWithdrawal(Int)
    case noEnvelope
    /// One waiting envelope: its short id, the sending organisation (its name in the verified
    /// directory, else its short id), the cover's kind when the relay says it (labelled).
    case inboxLine(id: String, from: String, kind: String?, received: String, expires: String)
    /// A flag of what the carried consent does not cover («Attention : …»).
    case attention(String)
    /// Danger level 3: Relais is not an emergency channel (17, 112, 119).
    case emergencyNotice
    case acknowledged(deleted: Bool)
    case outcomeFlagsNeedOutcome
    case outcomeNeeds(status: String, flag: String)
    case notADateTime(String)
    case yesNo(Bool)
    /// Field names of the summary before sending and of `relais open`.
    case field(ReferralField)
    case aboutToSend(kind: String)
    case pseudonym(String)
    /// A version 1 referral's case pseudonym.
    case caseSubject(String)

    case personLine(name: String, firstName: String?, age: String, minor: String, languages: [String]?, interpreter: Bool, status: String?)
    case safetyLine(level: Int, safeToCall: Bool)
    case freeTextSummary(characters: Int?, attachments: Int)
    case coveredBy(declaration: Bool, id: String)
    case recipientLine(name: String, category: String, departements: [String])
    case deviceLine(id: String, fingerprint: String)
    case deviceSkipped(id: String, reason: String)
    case deviceSkippedWarning(id: String, reason: String)
    case referralHeading(id: String, kind: String, replyTo: String?)
    case verifiedSender(device: String, fingerprint: String)
    case openExpires(date: String, relative: String, retentionDays: Int, ack: String)
    case situationParts(ReferralSituationPart, String)
    case minorLine(unaccompanied: Bool, aged16WithComplaint: Bool)
    case exitLine(first: Bool, months: Int, departement: String)
    case characters(Int)

    /// A reply's outcome: its labels, the appointment's date, the reason, the organisation.
    case outcome(status: String, opinion: String?, decision: String?, at: String?, reason: String?, reorientedTo: String?)

    // MARK: attachments (SPEC.md, "Attachments"; sizes in bytes, rendered in the language's units)
    case attachHelp(max: Int, limitBytes: Int)
    case allowAnyTypeHelp
    case saveAttachmentsHelp
    case allowAnyTypeAlone
    case attachmentUnreadable(path: String)
    case attachmentsTooLarge(total: Int, limitBytes: Int)
    case attachmentTypeRefused(path: String)
    case attachmentsTooMany(count: Int, max: Int)
    case attachmentFolder(path: String)
    case attachmentUnwritable(name: String)
    /// A received attachment whose bytes are not its declared type (`detected` nil: none accepted).
    case attachmentMismatch(name: String, declared: String, detected: String?)
    /// One attachment of an opened referral: its sanitised name, type, size, and where it was saved.
    case attachmentListed(name: String, type: String, size: Int, savedAs: String?)

    // MARK: cases
    case casesAbstract, casesOfflineHelp, noCases
    case caseHeading(label: String?, pseudonym: String)
    case caseConsentValid(until: String, id: String)
    case caseConsentNone(withdrawnOn: String?, expiredOn: String?)
    case caseConsentNotHere
    case caseSent(id: String, kind: String, on: String, state: String)
    case caseReceived(reply: Bool, id: String, on: String)
    case caseLastReply(String)
    case caseDeclared(on: String, until: String, id: String)
    case caseOutsideReport(to: String, on: String)
    case sentStateUnknown(expired: Bool)
    case sentStateDeleted
    case sentStateExpired
    case sentStateDelivered(delivered: Int, acknowledged: Int, addressed: Int)
    case replyWithoutOutcome

    // MARK: declare, outside-report
    case declareAbstract, declareCaseHelp, declareMinorStatusHelp, declareArticleHelp
    case declareValidDaysHelp(max: Int), declareMaxReportsHelp(max: Int, default: Int)
    case declareMinorStatus, declareArticle, declareValidDays(max: Int), declareMaxReports(max: Int), caseEmpty
    case declared(id: String, label: String, article: String, days: Int, until: String, reports: Int)
    case outsideReportAbstract, outsideReportDiscussion(days: Int), outsideReportToHelp, outsideReportDateHelp(days: Int)
    case outsideReportTo, outsideReportDateFormat, outsideReportFuture, outsideReportTooOld(days: Int)
    case outsideReportSummary(label: String, to: String, day: String)
    case outsideReportQuestion
    case outsideReportRecorded(id: String, to: String, day: String, label: String, until: String)
    case outsideReportRecipient(OutsideReportRecord.Recipient)
    case notConfirmedNothingRecorded, cancelledNothingRecorded

    // MARK: guided mode (send, consent grant, reply, declare at a terminal)
    /// The four commands' help: what is asked at a terminal, and what happens without one.
    case guidedDiscussion
    /// Without a terminal nothing is asked: the missing option, named.
    case guidedMissing(option: String)
    /// The question for a missing field.
    case guidedQuestion(GuidedQuestion)
    /// Suffixes of a question: optional (Enter skips it), several choices allowed.
    case guidedOptional, guidedSeveral
    /// A question as asked, ending with the language's colon.
    case guidedAsk(String)
    /// An empty answer to a required question; an answer that is not one of the `count` choices.
    case guidedAnswerRequired
    case guidedNotAChoice(value: String, count: Int)
    /// Ctrl-D (end of input) at a question.
    case guidedAborted
    /// No valid consent on this device for the case `label`.
    case guidedNoConsent(label: String)
    /// `reply` at a terminal with no referral opened here to answer.
    case guidedNothingToAnswer
    /// The choices' lines: a partner category as a recipient, a consent, a referral opened here.
    case guidedCategory(String)
    case guidedConsentChoice(id: String, purposes: [String], until: String)
    case guidedReferralChoice(id: String, kind: String, from: String, opened: String)
    /// A child-protection declaration made here for the case, as a choice of what a send rests on.
    case guidedDeclarationChoice(id: String, minor: String, until: String)
    /// The answer Enter gives (the exit-programme consent's département).
    case guidedDefault(String)
    /// A list with nothing in it (`question` is the question's text): usage, nothing sent or recorded.
    case guidedNoChoice(question: String)

    // MARK: profile (init, enrol, passphrase, whoami, fingerprint, trust)
    case initAbstract, initRelayHelp, initRelayURL, newPassphrasePrompt
    case profileCreated(directory: String, device: String, fingerprint: String)
    case enrolAbstract, enrolInviteHelp, enrolOperatorHelp, notAnInvite
    case enrolled(role: String, active: Bool, operatorFingerprint: String, fingerprint: String)
    case passphraseAbstract, passphraseDiscussion, passphraseChanged(directory: String)
    case whoamiAbstract
    case whoami(device: String, fingerprint: String, role: String, organisation: String?, status: String, relay: String, warnings: [String])
    case fingerprintAbstract, fingerprintIdHelp, safetyNumber(String)
    case trustAbstract, trustOrganisationHelp, trustQuestion, trusted(count: Int, organisation: String)

    // MARK: directory
    case directoryAbstract, directoryDiscussion, directoryCategoryHelp, directoryDepartementHelp, directoryNeedHelp, directoryLanguageHelp,
         directoryPublicHelp, directoryAccreditedHelp
    case departementFormat, languageFormat, publicChoices([String])
    case noOrganisation
    case nationalScope
    case publicServed(women: Bool, men: Bool, trans: Bool, minors: Bool, ages: String?, traffickingOnly: Bool)
    case directoryLine(ReferralDirectoryLine, String)
    case accreditedUntil(String)
    case exitProgrammeIn(departement: String, state: Int, from: String, until: String)

    // MARK: admin
    case adminAbstract, createOrgAbstract, inviteAbstract, pendingAbstract, approveAbstract, devicesAbstract, revokeAbstract
    case organisationPublished(created: Bool, id: String, name: String)
    case inviteIssued(until: String, code: String)
    case noPending
    case pendingMismatch(String)
    case asksToBecome(device: String, what: String)
    case deviceFingerprint(device: String, fingerprint: String)
    case approveQuestion
    case approved(device: String, role: String)
    case revokeQuestion(device: String)
    case revoked(device: String)
    case roleOf(role: String, organisation: String?, id: String?)

    // MARK: maintenance, contacts

    case keysAbstract, rotateAbstract, purgeAbstract, contactsAbstract, contactsHeading
    case prekeyPublished(held: Int)
    case purged(erased: Int, retentionDays: Int, kept: Int)

    // MARK: settings





    case configAbstract
    case configRetentionHelp
    case configRelayHelp
    case configWitnessHelp
    case configWitnessesRequiredHelp
    case configNoWitnessesHelp
    case configWitnessKey(String)
    case configWitnesses(required: Int, keys: [String])
    case configRelayURL
    case configShow(relay: String, retentionDays: Int, language: String?)
}

/// The interface language of this process: set once at start-up (`relais` reads `--lang`, the
/// profile's setting and the locale before parsing its arguments), read by every `Message.text`.
public enum Messages {
    /// A Mutex: written once before any task starts, then only read, but Swift 6 checks every
    /// global, and a lock costs nothing next to printing.
    private static let current = Mutex(Language.en)

    public static var language: Language {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    /// The text of `message` in the current language.
    public static func text(_ message: Message) -> String { message.text(language) }
}

extension Message {
    /// This message in `language`.
    public func text(_ language: Language) -> String {
        switch language {
        case .fr: fr
        case .en: en
        }
    }

    /// This message in the process's language (`Messages.language`).
    public var text: String { text(Messages.language) }
}

extension Language {
    /// `--lang X` or `--lang=X` among `arguments` (the last wins, as ArgumentParser does), before
    /// the command line is parsed: so that help texts are already in the chosen language.
    public static func flag(in arguments: [String]) -> String? {
        var found: String?
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            if argument == "--" { break }
            if argument == "--lang" { found = iterator.next() }
            else if argument.hasPrefix("--lang=") { found = String(argument.dropFirst("--lang=".count)) }
        }
        return found
    }
}

/// The names of the fields of a referral as shown (`Message.field`).
public enum ReferralField: Sendable, CaseIterable {
    case needs, person, safety, freeText, coveredBy, to, device, expires, from, contact, codeWord, text, situation, lead, minor, exitProgramme,
         outcome, note
}

/// The fields the guided mode asks for (`Message.guidedQuestion`).
public enum GuidedQuestion: Sendable, CaseIterable {
    case caseLabel, consent, recipients, needs, minorStatus, senderName, senderRole, text, consentRecipients, purposes, data, envelope,
         outcome, appointmentAt, reason, reorientedTo, opinion, decision, departement, adult,
         cover, kind, exitRequest, monthsUsed, unaccompaniedMinor, aged16WithComplaint
}

/// The parts of a referral's situation as shown (`Message.situationParts`).
public enum ReferralSituationPart: Sendable, CaseIterable {
    case exploitation, inDanger, moveAway, currentDepartement, avoid, children, childrenWith, childrenAtRisk, threats, debt, documents,
         complaint, pregnancy, interview
}

/// The labelled lines of an organisation in `relais directory`.
public enum ReferralDirectoryLine: Sendable, CaseIterable {
    case publicServed, languages, services, phone, hours
}
