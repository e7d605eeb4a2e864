// The English texts of the `relais` CLI (issue 16). An exhaustive `switch`: a key without its
// English text does not build.

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
        case .profileHelp: "Profile directory (default: $RELAIS_HOME, else ~/.config/relais)."
        case .jsonHelp: "Machine-readable JSON output."
        case .yesHelp: "Do not ask for confirmation."
        case .passphrasePrompt: "Passphrase: "
        case .passphraseRepeatPrompt: "Repeat passphrase: "

        case let .relayRefused(status, code, message): RefusalText.en(status: status, code: code, message: message)
        case let .relayUnexpected(status): "the relay answered unexpectedly (HTTP \(status)); try again later or contact the operator"
        case let .verificationFailed(why): "verification failed: \(why)"
        case .relayUnreachable: "cannot reach the relay: is it running, and is the URL in this profile right?"
        case let .unexpectedFailure(type): "unexpected failure (\(type))"

        case .nothingSent: "Nothing was sent."
        }
    }
}
