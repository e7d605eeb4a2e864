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
    case let e as ReferralError: return ("the referral is not valid: \(e)", 64)
    case let e as DirectoryError: return ("\(e)", Exit.verification)
    case let e as ConsentError: return ("\(e)", 64)
    case let e as PrekeyError: return ("\(e)", Exit.verification)
    case let e as NameResolution.Failure: return ("\(e)", 64)
    default:
        let text = "\(error)"
        if text.contains("Connection refused") || text.contains("connect") {
            return ("cannot reach the relay: is it running, and is the URL in this profile right?", Exit.refused)
        }
        return ("unexpected failure (\(type(of: error)))", 1)
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

func date(_ t: UInt64) -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
    return f.string(from: Date(timeIntervalSince1970: TimeInterval(t))) + " UTC"
}

/// Asks "yes" on the terminal; without a terminal, `--yes` is required.
func confirm(_ question: String, yes: Bool) throws {
    if yes { return }
    guard isatty(STDIN_FILENO) == 1 else { throw LocalError.usage("not confirmed: add --yes to proceed without a terminal") }
    FileHandle.standardError.write(Data("\(question) [yes/no] ".utf8))
    guard readLine()?.lowercased() == "yes" else { throw LocalError.usage("cancelled; nothing was sent") }
}

/// What a reply's outcome says, in French (`relais cases`, `relais open`).
func describeOutcome(_ o: Referral.Outcome) -> String {
    var text = o.status.labelFr
    if let opinion = o.opinion { text += " : " + opinion.labelFr }
    if let decision = o.decision { text += " : " + decision.labelFr }
    if let at = o.appointmentAt { text += " le \(date(at))" }
    if let reason = o.reason { text += " (motif : \(reason))" }
    if let to = o.reorientedTo { text += " vers la structure \(to)" }
    return text
}
