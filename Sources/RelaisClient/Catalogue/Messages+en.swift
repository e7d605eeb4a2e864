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
        case .passphraseFileHelp:
            "Read the passphrase from this file (for scripts; mode 0600: refused if its group or others may read it). Otherwise it is asked on the terminal; RELAIS_PASSPHRASE is for tests and demos only."
        case let .passphraseFileExposed(path, mode):
            "\(path) may be read by others (mode \(mode)): refused, as its passphrase may already be known. Make it yours alone (chmod 600 \(path)) and change the passphrase if others could read it."
        case let .passphraseFileUnreadable(path): "cannot read the passphrase file \(path)"

        case let .relayRefused(status, code, message): RefusalText.en(status: status, code: code, message: message)
        case let .relayUnexpected(status): "the relay answered unexpectedly (HTTP \(status)); try again later or contact the operator"
        case let .verificationFailed(why): "verification failed: \(why)"
        case .relayUnreachable: "cannot reach the relay: is it running, and is the URL in this profile right?"
        case let .unexpectedFailure(type): "unexpected failure (\(type))"

        case .nothingSent: "Nothing was sent."

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
        }
    }
}
