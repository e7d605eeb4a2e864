import Foundation

/// The languages of the user interface (issue 16): French for the people Relais is for, English
/// for the others. The relay's error codes stay English identifiers; clients show them translated.
public enum Language: String, Sendable, Codable, CaseIterable {
    case fr, en

    /// The language to show: `flag` (`--lang`), then the profile's setting, then the locale
    /// (`LC_ALL`, `LC_MESSAGES`, `LANG`, the first one set and not empty, as POSIX orders them):
    /// French for `fr*`, English otherwise, English when nothing is set. An unknown `flag` or
    /// setting is skipped, not an error (the caller validates `--lang` itself).
    public static func resolve(flag: String?, setting: String?, environment: [String: String]) -> Language {
        if let flag, let l = Language(code: flag) { return l }
        if let setting, let l = Language(code: setting) { return l }
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let value = environment[name], !value.isEmpty {
                return value.lowercased().hasPrefix("fr") ? .fr : .en
            }
        }
        return .en
    }

    /// `fr`, `fr_FR.UTF-8`, `FR`, `en`, `en-GB`…; nil for anything else.
    public init?(code: String) {
        let c = code.lowercased()
        if c == "fr" || c.hasPrefix("fr_") || c.hasPrefix("fr-") || c.hasPrefix("fr.") { self = .fr }
        else if c == "en" || c.hasPrefix("en_") || c.hasPrefix("en-") || c.hasPrefix("en.") { self = .en }
        else { return nil }
    }
}

/// An enumerated value with a label in each language (issue 16): shown in outputs, and accepted
/// as input beside its identifier, whatever the case and accents. Each language's labels live in
/// its own file (Labels+fr.swift, Labels+en.swift), as exhaustive `switch`es: a value without a
/// label in one language does not build.
public protocol Labelled: CaseIterable, Sendable {
    /// The stable identifier (the JSON value).
    var identifier: String { get }
    var labelFr: String { get }
    var labelEn: String { get }
    /// Abbreviations a professional types (`aps`, `afis`): accepted as input, never shown.
    var abbreviations: [String] { get }
}

extension Labelled {
    public var abbreviations: [String] { [] }

    public func label(_ language: Language) -> String {
        switch language {
        case .fr: labelFr
        case .en: labelEn
        }
    }

    /// Every input form that names this value: its identifier, and in each language its label
    /// and its short form (the label without articles and small words), all folded.
    public var inputForms: Set<String> {
        Set([LabelFolding.fold(identifier), LabelFolding.fold(labelFr), LabelFolding.fold(labelEn),
         LabelFolding.short(labelFr), LabelFolding.short(labelEn)]).union(abbreviations.map(LabelFolding.fold))
    }

    /// The value `input` names (`hebergement-urgence`, `Hébergement d'urgence`, `emergencyShelter`
    /// and `emergency shelter` all give `emergencyShelter`), or nil.
    public static func parse(_ input: String) -> Self? {
        let key = LabelFolding.fold(input)
        guard !key.isEmpty else { return nil }
        return allCases.first { $0.inputForms.contains(key) }
    }

    /// The accepted forms, for help texts and errors: «hebergement-urgence (emergencyShelter)».
    public static func choices(_ language: Language) -> [String] {
        allCases.map { "\(LabelFolding.short($0.label(language))) (\($0.identifier))" }
    }
}

extension Labelled where Self: RawRepresentable, RawValue == String {
    public var identifier: String { rawValue }
}

/// How labels and inputs are compared: lower case, no accents, `·` and `.` dropped (inclusive
/// writing, «Ac.Sé»), every other run of non-letters and non-digits one `-`; and the short form
/// without the small words of French and English. Identifiers in camel case split at capitals.
public enum LabelFolding {
    static let smallWords: Set<String> = ["d", "de", "du", "des", "l", "la", "le", "les", "a", "au", "aux", "et", "en", "pour", "avec",
                                          "un", "une", "of", "the", "to", "for", "and", "with", "an", "or", "ou", "sur", "par"]

    public static func fold(_ text: String) -> String {
        // camelCase → camel-case, before lower-casing.
        var spaced = ""
        var previousLower = false
        for ch in text {
            if ch.isUppercase && previousLower { spaced.append("-") }
            spaced.append(ch)
            previousLower = ch.isLowercase || ch.isNumber
        }
        let plain = spaced.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "fr_FR")).lowercased()
        var out = ""
        var pendingDash = false
        for scalar in plain.unicodeScalars {
            if scalar == "·" || scalar == "." || scalar == "\u{2027}" { continue }
            if CharacterSet.alphanumerics.contains(scalar), scalar.isASCII {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        return out
    }

    /// `fold` without the small words: «hébergement d'urgence» → `hebergement-urgence`.
    public static func short(_ text: String) -> String {
        let words = fold(text).split(separator: "-").map(String.init)
        let kept = words.filter { !smallWords.contains($0) }
        return (kept.isEmpty ? words : kept).joined(separator: "-")
    }
}
