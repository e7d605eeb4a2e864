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
    /// `--passphrase-file`: its help, a file others may read (refused, with its mode), a file that cannot be read.
    case passphraseFileHelp
    case passphraseFileExposed(path: String, mode: String)
    case passphraseFileUnreadable(path: String)

    // MARK: errors
    /// Any relay refusal shown to the user: its status and its stable code, translated.
    case relayRefused(status: Int, code: String, message: String)
    case relayUnexpected(status: Int)
    case verificationFailed(String)
    case relayUnreachable
    case unexpectedFailure(type: String)

    // MARK: consent
    /// A consent refusal of the guide's rules, the sentence that ends it.
    case nothingSent

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
