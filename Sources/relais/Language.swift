public import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// The interface language, chosen before the command line is parsed (issue 16): `--lang` (any
/// command, anywhere on the line), then the profile's setting (`relais config --lang`), then the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`). Chosen first so that help texts, which ArgumentParser
/// reads when it builds a command, are already in that language.
enum LanguageChoice {
    /// The `--lang` of this command line, when one was given (`relais config --lang` stores it).
    nonisolated(unsafe) static var flag: Language?  // written once in `start`, before any task; then only read

    /// Sets `Messages.language` from `arguments` (without the program's name) and the
    /// environment, and gives the arguments without `--lang` for ArgumentParser. An unknown
    /// `--lang` ends the program with a usage error (64).
    static func start(arguments: [String], environment: [String: String]) -> [String] {
        let given = Language.flag(in: arguments)
        let profile = profileDirectory(in: arguments, environment: environment)
        let setting = ProfileSettings.read(directory: profile)?.language
        Messages.language = Language.resolve(flag: given, setting: setting, environment: environment)
        if let given {
            guard let language = Language(code: given) else {
                FileHandle.standardError.write(Data("relais: \(Message.langUnknown(given).text)\n".utf8))
                exit(64)
            }
            flag = language
        }
        return withoutLang(arguments)
    }

    /// `arguments` without `--lang X` and `--lang=X` (before a `--`).
    static func withoutLang(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var index = 0
        var passedEnd = false
        while index < arguments.count {
            let argument = arguments[index]
            if passedEnd || argument == "--" {
                passedEnd = true
                out.append(argument)
            } else if argument == "--lang" {
                index += 1
            } else if !argument.hasPrefix("--lang=") {
                out.append(argument)
            }
            index += 1
        }
        return out
    }

    /// The profile directory the command line names (`--profile X`, `--profile=X`), else the default.
    static func profileDirectory(in arguments: [String], environment: [String: String]) -> String {
        var profile: String?
        var iterator = arguments.makeIterator()
        while let argument = iterator.next(), argument != "--" {
            if argument == "--profile" { profile = iterator.next() }
            else if argument.hasPrefix("--profile=") { profile = String(argument.dropFirst("--profile=".count)) }
        }
        return ProfileOptions.directory(profile: profile)
    }
}

extension Labelled {
    /// The values as one types them in the current language (the short label), for help and
    /// completions; the identifier is accepted too.
    static var argumentValues: [String] { allCases.map { LabelFolding.short($0.label(Messages.language)) } }

    /// The value `input` names, or a usage error that lists the choices in the current language.
    static func argument(_ input: String, option: String) throws -> Self {
        guard let value = parse(input) else {
            throw ValidationError(Message.unknownChoice(option: option, value: input, choices: choices(Messages.language)).text)
        }
        return value
    }
}

/// Typed enumerated options (issue 16): the label in either language or the identifier, whatever
/// the case and accents (`Labelled.parse`); help and completions list the labels.
extension Referral.Kind: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.Need: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.AgeBand: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.MinorStatus: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.AdministrativeStatus: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.Outcome.Status: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.Outcome.Opinion: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.Outcome.Decision: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension PartnerCategory: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension DeviceRole: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension ConsentMethod: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension DataCategory: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}

extension LanguageChoice {
    /// ArgumentParser's own words, in the current language: an enumerated value that names
    /// nothing becomes `Message.unknownChoice` (its choices listed), and in French the other
    /// usage errors and the help's headings are translated. Nil: print ArgumentParser's text.
    static func parserMessage(_ text: String) -> String? {
        if let unknown = unknownValue(text) { return "relais: " + unknown }
        guard Messages.language == .fr, text.hasPrefix("Error: ") else { return nil }
        return translateUsage(text)
    }

    /// «The value 'x' is invalid for '--need <need>'. Please provide one of 'a', 'b' and 'c'.»
    static func unknownValue(_ text: String) -> String? {
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? text
        guard let start = firstLine.range(of: "The value '"), let middle = firstLine.range(of: "' is invalid for '", range: start.upperBound..<firstLine.endIndex)
        else { return nil }
        let value = String(firstLine[start.upperBound..<middle.lowerBound])
        let rest = firstLine[middle.upperBound...]
        guard let optionEnd = rest.firstIndex(of: "'") else { return nil }
        let option = rest[..<optionEnd].split(separator: " ").first.map(String.init) ?? ""
        let list = rest[rest.index(after: optionEnd)...]
        guard list.contains("Please provide one of") else { return nil }
        // Fewer than six values: quoted on the line; more: one «  - value» line each.
        var choices = list.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
        if list.contains("Please provide one of the following:") {
            choices = text.split(separator: "\n").filter { $0.hasPrefix("  - ") }.map { String($0.dropFirst(4)) }
        }
        return Message.unknownChoice(option: option, value: value, choices: choices).text
    }

    /// ArgumentParser's usage errors in French («Missing expected argument», «Unknown option»…).
    static func translateUsage(_ text: String) -> String {
        var out = text
        for (english, french) in [("Error: ", "Erreur : "), ("Missing expected argument ", "argument requis manquant : "),
                                  ("Unknown option ", "option inconnue : "), ("Unexpected argument ", "argument inattendu : "),
                                  ("Missing value for ", "valeur manquante pour "), ("Did you mean ", "Vouliez-vous dire "),
                                  ("Usage: ", "Utilisation : "), ("  See '", "  Voir '"), ("' for more help.", "' pour l'aide.")] {
            out = out.replacingOccurrences(of: english, with: french)
        }
        return out
    }

    /// The help's headings in French (ArgumentParser writes them in English).
    static func translateHelp(_ text: String) -> String {
        guard Messages.language == .fr else { return text }
        var out = text
        for (english, french) in [("OVERVIEW: ", "RÉSUMÉ : "), ("USAGE: ", "UTILISATION : "), ("\nARGUMENTS:\n", "\nARGUMENTS :\n"),
                                  ("\nOPTIONS:\n", "\nOPTIONS :\n"), ("\nSUBCOMMANDS:\n", "\nSOUS-COMMANDES :\n"),
                                  ("Show help information.", "Affiche cette aide."), ("Show the version.", "Affiche la version."),
                                  ("(default:", "(par défaut :"), ("(values:", "(valeurs :"),
                                  ("  See 'relais help <subcommand>' for detailed help.", "  Voir « relais help <sous-commande> » pour l'aide de chacune.")] {
            out = out.replacingOccurrences(of: english, with: french)
        }
        // After the values, «; default:», which ArgumentParser may wrap onto the next line.
        return out.replacingOccurrences(of: "(;\\s+)default:", with: "$1par défaut :", options: .regularExpression)
    }
}

extension Referral.ExploitationType: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.Interview: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
extension Referral.ExitProgramme.Request: ExpressibleByArgument {
    init?(argument: String) { guard let v = Self.parse(argument) else { return nil }; self = v }
    static var allValueStrings: [String] { argumentValues }
}
