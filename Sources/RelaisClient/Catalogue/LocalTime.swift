public import Foundation
public import RelaisCore

/// How dates and durations are shown to a person (issue 16): local time with its zone (`TZ`,
/// Europe/Paris when unset), «3 déc. 2026 14:05 (Europe/Paris)», and durations in words,
/// «expire dans 13 jours», «expired 2 days ago». JSON output keeps ISO 8601 in UTC.
public enum LocalTime {
    /// The zone of `TZ` (a name such as `Europe/Paris`, with or without a leading `:`), else Europe/Paris.
    public static func zone(environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeZone {
        if var name = environment["TZ"], !name.isEmpty {
            if name.hasPrefix(":") { name.removeFirst() }
            if let zone = TimeZone(identifier: name) { return zone }
        }
        return TimeZone(identifier: "Europe/Paris") ?? .gmt
    }

    /// «3 déc. 2026 14:05 (Europe/Paris)» / «3 Dec 2026 14:05 (Europe/Paris)».
    public static func date(_ seconds: UInt64, _ language: Language = Messages.language, zone: TimeZone = zone()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        let months = language == .fr
            ? ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
            : ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[max(0, min(11, (c.month ?? 1) - 1))]
        let time = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        return "\(c.day ?? 1) \(month) \(c.year ?? 1970) \(time) (\(zone.identifier))"
    }

    /// A day without time: «3 déc. 2026».
    public static func day(_ seconds: UInt64, _ language: Language = Messages.language, zone: TimeZone = zone()) -> String {
        let full = date(seconds, language, zone: zone)
        return full.split(separator: " ").prefix(3).joined(separator: " ")
    }

    /// A span in words, rounded down to its largest unit: «13 jours», «1 hour», «moins d'une minute».
    public static func span(_ seconds: UInt64, _ language: Language = Messages.language) -> String {
        let units: [(UInt64, String, String, String, String)] = [
            (86_400, "jour", "jours", "day", "days"), (3_600, "heure", "heures", "hour", "hours"), (60, "minute", "minutes", "minute", "minutes"),
        ]
        for (size, frOne, frMany, enOne, enMany) in units where seconds >= size {
            let n = seconds / size
            switch language {
            case .fr: return "\(n) \(n == 1 ? frOne : frMany)"
            case .en: return "\(n) \(n == 1 ? enOne : enMany)"
            }
        }
        return language == .fr ? "moins d'une minute" : "less than a minute"
    }

    /// When `moment` comes, from `now`: «dans 13 jours» / «in 13 days», «il y a 2 jours» / «2 days ago».
    public static func relative(_ moment: UInt64, now: UInt64, _ language: Language = Messages.language) -> String {
        if moment >= now {
            let s = span(moment - now, language)
            return language == .fr ? "dans \(s)" : "in \(s)"
        }
        let s = span(now - moment, language)
        return language == .fr ? "il y a \(s)" : "\(s) ago"
    }

    /// An expiry in words: «expire dans 13 jours», «expired 2 days ago».
    public static func expiry(_ moment: UInt64, now: UInt64, _ language: Language = Messages.language) -> String {
        let when = relative(moment, now: now, language)
        switch (language, moment > now) {
        case (.fr, true): return "expire \(when)"
        case (.fr, false): return "expiré \(when)"
        case (.en, true): return "expires \(when)"
        case (.en, false): return "expired \(when)"
        }
    }

    /// ISO 8601 in UTC, for JSON output: «2026-12-03T13:05:00Z».
    public static func iso(_ seconds: UInt64) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = .gmt
        return f.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// A yes/no answer in either language (issue 16): «oui/non», «o/n», «yes/no», «y/n», whatever
/// the case and accents; nil for anything else.
public enum Answer {
    public static func yes(_ input: String) -> Bool? {
        switch LabelFolding.fold(input) {
        case "oui", "o", "yes", "y": true
        case "non", "n", "no": false
        default: nil
        }
    }
}
