import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore
import RelaisCrypto

/// Exit statuses (sysexits.h), as listed in `relais --help`.
enum Exit {
    static let verification: Int32 = 65
    static let notFound: Int32 = 66
    static let refused: Int32 = 69
    static let notActive: Int32 = 75
    static let passphrase: Int32 = 77
}

/// Runs a command body; any error becomes one line on stderr and a meaningful exit status.
func guarded(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        let (message, status) = describe(error)
        FileHandle.standardError.write(Data("relais: \(message)\n".utf8))
        throw ExitCode(status)
    }
}

func describe(_ error: any Error) -> (String, Int32) {
    switch error {
    case let e as KeystoreError:
        return e == .wrongPassphrase ? ("\(e)", Exit.passphrase) : ("\(e)", Exit.verification)
    case let e as LocalError:
        switch e {
        case .noProfile, .notFound: return ("\(e)", Exit.notFound)
        case .notActive: return ("\(e)", Exit.notActive)
        case .usage, .profileExists: return ("\(e)", 64)
        case .keyChanged, .newDevices, .verification, .consent: return ("\(e)", Exit.verification)
        }
    case let e as ClientError:
        if case .verification = e { return ("\(e)", Exit.verification) }
        return ("\(e)", Exit.refused)
    case let e as EnvelopeError: return ("\(e)", Exit.verification)
    case let e as ReferralError: return (Message.referralInvalid("\(e)").text, 64)
    case let e as DirectoryError: return ("\(e)", Exit.verification)
    case let e as ConsentError: return ("\(e)", 64)
    case let e as PrekeyError: return ("\(e)", Exit.verification)
    case let e as NameResolution.Failure: return ("\(e)", 64)
    default:
        let text = "\(error)"
        if text.contains("Connection refused") || text.contains("connect") {
            return (Message.relayUnreachable.text, Exit.refused)
        }
        return (Message.unexpectedFailure(type: "\(type(of: error))").text, 1)
    }
}

/// Prints `value` as JSON (sorted keys) when `json`, else `human()`.
func emit<T: Encodable>(_ json: Bool, _ value: T, human: () -> String) throws {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    } else {
        print(human())
    }
}

/// A moment in local time with its zone, in the interface language (`LocalTime`).
func date(_ t: UInt64) -> String { LocalTime.date(t) }

/// Asks yes or no on the terminal («oui», «o», «yes», «y»… in either language, `Answer`, asked
/// again until it is one); without a terminal, `--yes` is required.
func confirm(_ question: String, yes: Bool) throws {
    if yes { return }
    guard isatty(STDIN_FILENO) == 1 else { throw LocalError.usage(Message.notConfirmedNoTerminal.text) }
    while true {
        FileHandle.standardError.write(Data("\(question) \(Message.confirmSuffix.text) ".utf8))
        guard let line = readLine() else { throw LocalError.usage(Message.cancelledNothingSent.text) }
        switch Answer.yes(line) {
        case true?: return
        case false?: throw LocalError.usage(Message.cancelledNothingSent.text)
        case nil: FileHandle.standardError.write(Data("\(Message.answerYesOrNo.text)\n".utf8))
        }
    }
}

/// What a reply's outcome says, in the interface language (`relais cases`, `relais open`).
func describeOutcome(_ o: Referral.Outcome) -> String {
    Message.outcome(status: o.status.label(Messages.language), opinion: o.opinion?.label(Messages.language),
                    decision: o.decision?.label(Messages.language), at: o.appointmentAt.map(date), reason: o.reason,
                    reorientedTo: o.reorientedTo?.hex).text
}

