import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// Guided mode (issue 16): at a terminal, `send`, `consent grant`, `reply` and `declare` ask for
/// each missing required field, one question at a time, fill the command's own option values with
/// the answers, and let its validation, summary and confirmation run as if they had been typed
/// on the command line. Questions go to standard error, answers come from standard input (with
/// the terminal's echo: passphrases never come here, `Passphrase` reads them from /dev/tty).
/// An invalid answer is asked again with its reason; end of input (Ctrl-D) gives up with nothing
/// sent or recorded (usage, 64). Without a terminal nothing is asked: a missing field is a usage
/// error that names its option.
enum Guided {
    /// A person can read the questions and answer them: standard input and standard error are both terminals.
    static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 }

    /// Without a terminal, the first of `missing` (options, in the order they would be asked) is
    /// a usage error naming it; at a terminal they will be asked, and nothing is thrown.
    static func refuseMissing(_ missing: [String]) throws {
        guard !isInteractive, let first = missing.first else { return }
        throw LocalError.usage(Message.guidedMissing(option: first).text)
    }

    /// `value`, or the usage error that names `option` (a field guided mode fills before this is read).
    static func given<T>(_ value: T?, _ option: String) throws -> T {
        guard let value else { throw LocalError.usage(Message.guidedMissing(option: option).text) }
        return value
    }

    /// One numbered choice: how it is shown, what typed forms name it (folded: `LabelFolding.fold`), its value.
    struct Choice<Value> {
        let label: String
        let forms: Set<String>
        let value: Value

        init(_ label: String, forms: Set<String> = [], value: Value) {
            self.label = label
            self.forms = forms.union([LabelFolding.fold(label)])
            self.value = value
        }
    }

    /// The choices of an enumeration: its labels in the interface language, any label or identifier accepted.
    static func choices<L: Labelled>(_ values: [L]) -> [Choice<L>] {
        values.map { Choice($0.label(Messages.language), forms: $0.inputForms, value: $0) }
    }

    /// A line of text. Empty: `preset` when there is one (shown in the question), else nil when
    /// `optional`, else asked again. `check` turns the answer into the value or throws the reason,
    /// which is said before asking again.
    static func text<T>(_ question: GuidedQuestion, optional: Bool = false, preset: String? = nil, check: (String) throws -> T) throws -> T? {
        let title = title(question, optional: optional && preset == nil, several: false)
        let prompt = Message.guidedAsk(preset.map { title + " " + Message.guidedDefault($0).text } ?? title).text
        while true {
            var answer = try line(prompt)
            if answer.isEmpty, let preset { answer = preset }
            if answer.isEmpty {
                if optional { return nil }
                say(Message.guidedAnswerRequired.text)
                continue
            }
            do { return try check(answer) } catch { say(reason(error)) }
        }
    }

    static func text(_ question: GuidedQuestion, optional: Bool = false) throws -> String? {
        try text(question, optional: optional) { $0 }
    }

    /// A yes/no question («oui», «non», as `confirm` reads them); anything else is asked again.
    static func yesNo(_ question: GuidedQuestion) throws -> Bool {
        let prompt = Message.guidedQuestion(question).text + " " + Message.confirmSuffix.text + " "
        while true {
            if let answer = Answer.yes(try line(prompt)) { return answer }
            say(Message.answerYesOrNo.text)
        }
    }

    /// The person's département, checked as `--departement` is (`DirectoryRules.isDepartementCode`; «2a» is 2A),
    /// then by `also`; Enter gives `preset`.
    static func departement(preset: String? = nil, also: (String) throws -> Void = { _ in }) throws -> String? {
        try text(.departement, preset: preset) { typed in
            let code = typed.uppercased()
            guard DirectoryRules.isDepartementCode(code) else { throw ValidationError(Message.departementCode(typed).text) }
            try also(code)
            return code
        }
    }

    /// One (or, with `several`, one or more, separated by commas) of the numbered `choices`, by
    /// number, label or identifier. Empty: none when `optional`, else asked again. A single
    /// choice that is required is taken without asking, and said. No choice at all: nothing can be
    /// answered, so it is a usage error (64) naming the question, whether optional or not.
    static func choose<V>(_ question: GuidedQuestion, _ choices: [Choice<V>], several: Bool = false, optional: Bool = false) throws -> [V] {
        guard !choices.isEmpty else { throw LocalError.usage(Message.guidedNoChoice(question: Message.guidedQuestion(question).text).text) }
        let title = title(question, optional: optional, several: several)
        if choices.count == 1, !optional, !several {
            say(Message.guidedAsk(title).text + choices[0].label)
            return [choices[0].value]
        }
        let width = String(choices.count).count
        var listing = [Message.guidedAsk(title).text.trimmingCharacters(in: .whitespaces)]
        for (i, c) in choices.enumerated() {
            listing.append("  " + String(repeating: " ", count: width - String(i + 1).count) + "\(i + 1)) " + c.label)
        }
        say(listing.joined(separator: "\n"))
        while true {
            let answer = try line("> ")
            if answer.isEmpty {
                if optional { return [] }
                say(Message.guidedAnswerRequired.text)
                continue
            }
            let parts = several ? answer.split(whereSeparator: { $0 == "," || $0 == ";" }).map(String.init) : [answer]
            var picked: [Int] = []
            var unknown: String?
            for part in parts.map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                guard let index = index(of: part, in: choices) else { unknown = part; break }
                if !picked.contains(index) { picked.append(index) }
            }
            if let unknown {
                say(Message.guidedNotAChoice(value: unknown, count: choices.count).text)
                continue
            }
            guard !picked.isEmpty else { say(Message.guidedAnswerRequired.text); continue }
            return picked.map { choices[$0].value }
        }
    }

    /// The choice `typed` names: its number, else its label or one of its forms, whatever the case and accents.
    static func index<V>(of typed: String, in choices: [Choice<V>]) -> Int? {
        if let n = Int(typed) { return (1...choices.count).contains(n) ? n - 1 : nil }
        let key = LabelFolding.fold(typed)
        return key.isEmpty ? nil : choices.firstIndex { $0.forms.contains(key) }
    }

    static func title(_ question: GuidedQuestion, optional: Bool, several: Bool) -> String {
        ([Message.guidedQuestion(question).text] + (several ? [Message.guidedSeveral.text] : []) + (optional ? [Message.guidedOptional.text] : []))
            .joined(separator: " ")
    }

    /// One answer, trimmed; end of input gives up.
    static func line(_ prompt: String) throws -> String {
        FileHandle.standardError.write(Data(prompt.utf8))
        guard let answer = readLine() else {
            FileHandle.standardError.write(Data("\n".utf8))
            throw LocalError.usage(Message.guidedAborted.text)
        }
        return answer.trimmingCharacters(in: .whitespaces)
    }

    static func say(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

    /// Why an answer was refused, as the command would say it.
    static func reason(_ error: any Error) -> String {
        (error as? ValidationError)?.message ?? describe(error).0
    }
}
