import Foundation
public import RelaisCore

/// How the CLI turns what a person types into identifiers (issue 16, "Names, not identifiers"):
/// an organisation by its name or a unique part of it, matched in the verified directory without
/// regard to case or accents; an envelope, consent or declaration by a unique prefix of its id
/// (6 hex digits or more, as git does). The matchers are pure; `LocalDevice.resolveOrganisations`
/// and `LocalDevice.resolve*ID` give them what the device knows.
public enum NameResolution {
    /// The fewest hex digits an abbreviated id may have.
    public static let minimumPrefix = 6
    /// The digits shown of an id in human output (JSON keeps full ids).
    public static let shownDigits = 8

    /// Why a name or an abbreviated id names nothing, or more than one thing. The CLI exits 64.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// `what` names nothing: `candidates` are what it could have named, as "name (short id)" lines.
        case unknown(what: String, text: String, candidates: [String])
        case ambiguous(what: String, text: String, candidates: [String])
        /// An abbreviated id shorter than `minimumPrefix`, or not hex.
        case malformedID(what: String, text: String)

        public var description: String {
            func list(_ c: [String]) -> String { c.map { "\n  " + $0 }.joined() }
            switch self {
            case let .unknown(what, text, candidates) where candidates.isEmpty: return Message.nameUnknown(text: text, what: what).text
            case let .unknown(what, text, candidates): return Message.nameNoMatch(text: text, what: what, candidates: list(candidates)).text
            case let .ambiguous(what, text, candidates): return Message.nameAmbiguous(text: text, what: what, candidates: list(candidates)).text
            case let .malformedID(what, text): return Message.notAnID(text: text, what: what, minimumPrefix: minimumPrefix).text
            }
        }
    }

    /// Lowercase, without accents or ligatures, every run of punctuation or space one space:
    /// « Œuvre d’Accueil – Saint-Denis » and « oeuvre d'accueil saint denis » fold alike.
    public static func fold(_ text: String) -> String {
        var out = ""
        var pendingSpace = false
        for scalar in text.lowercased().decomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            let piece: String
            switch scalar {
            case "œ": piece = "oe"
            case "æ": piece = "ae"
            case "ß": piece = "ss"
            case "ø": piece = "o"
            case "ł": piece = "l"
            default:
                guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else {
                    pendingSpace = !out.isEmpty
                    continue
                }
                piece = String(scalar)
            }
            if pendingSpace { out += " " }
            pendingSpace = false
            out += piece
        }
        return out
    }

    /// The organisation `text` names among `records` (the verified directory): its full id; else
    /// the one whose folded name equals the folded text (an exact name wins over a partial one);
    /// else the one whose folded name contains it, or whose id starts with it (6 hex digits or
    /// more). Ambiguous or unknown: the candidates, each "name (short id)".
    public static func organisation(_ text: String, in records: [OrganisationRecord]) throws(Failure) -> OrganisationRecord {
        let what = "structure"
        if let id = OrganisationID(hex: text.lowercased()) {
            guard let record = records.first(where: { $0.id == id }) else {
                throw .unknown(what: what, text: text, candidates: [])
            }
            return record
        }
        let key = fold(text)
        guard !key.isEmpty else { throw .unknown(what: what, text: text, candidates: records.map(label)) }
        let exact = records.filter { fold($0.name) == key }
        if exact.count == 1 { return exact[0] }
        if exact.count > 1 { throw .ambiguous(what: what, text: text, candidates: exact.map(label)) }
        let lower = text.lowercased()
        let partial = records.filter {
            fold($0.name).contains(key) || (isHexPrefix(lower) && $0.id.hex.hasPrefix(lower))
        }
        switch partial.count {
        case 1: return partial[0]
        case 0:
            // The organisations sharing a word with the text, else the whole directory.
            let words = Set(key.split(separator: " "))
            let near = records.filter { !Set(fold($0.name).split(separator: " ")).isDisjoint(with: words) }
            throw .unknown(what: what, text: text, candidates: (near.isEmpty ? records : near).map(label))
        default: throw .ambiguous(what: what, text: text, candidates: partial.map(label))
        }
    }

    /// "Association Exemple (3f2a9c01)".
    public static func label(_ record: OrganisationRecord) -> String { "\(record.name) (\(short(record.id)))" }

    /// The first `shownDigits` hex digits of an id, as human output shows it.
    public static func short<K>(_ id: Identifier<K>) -> String { String(id.hex.prefix(shownDigits)) }

    /// The one id among `known` that `text` abbreviates: the full id (known or not: the relay or
    /// the store then says whether it exists), or a unique prefix of `minimumPrefix` hex digits or
    /// more. `describe` gives the candidates' lines when several match.
    public static func id<K>(_ text: String, among known: [Identifier<K>], what: String,
                             describe: (Identifier<K>) -> String = { $0.hex }) throws(Failure) -> Identifier<K> {
        let lower = text.lowercased()
        if let id = Identifier<K>(hex: lower) { return id }
        guard lower.count >= minimumPrefix, lower.count < 2 * Identifier<K>.byteCount, isHexPrefix(lower) else {
            throw .malformedID(what: what, text: text)
        }
        let matches = Array(Set(known.filter { $0.hex.hasPrefix(lower) })).sorted()
        switch matches.count {
        case 1: return matches[0]
        case 0: throw .unknown(what: what, text: text, candidates: [])
        default: throw .ambiguous(what: what, text: text, candidates: matches.map(describe))
        }
    }

    static func isHexPrefix(_ text: String) -> Bool {
        text.count >= minimumPrefix && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}

extension LocalDevice {
    /// The organisations `texts` name (ids, names or unique parts of names), each resolved in the
    /// verified directory (`NameResolution.organisation`), in order; the directory is read once.
    public func resolveOrganisations(_ texts: [String]) async throws -> [OrganisationID] {
        guard !texts.isEmpty else { return [] }
        let directory = try await organisations()
        return try texts.map { try NameResolution.organisation($0, in: directory).id }
    }

    public func resolveOrganisation(_ text: String) async throws -> OrganisationID {
        try await resolveOrganisations([text])[0]
    }

    /// The names of the organisations in the verified directory, by id: what outputs show instead
    /// of an identifier (an organisation absent from the directory keeps its short id).
    public func organisationNames() async throws -> [OrganisationID: String] {
        Dictionary(try await organisations().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
    }

    /// An envelope id from a prefix: among the referrals opened and sent here, and, with
    /// `inbox`, the envelopes waiting for this device at the relay.
    public func resolveEnvelopeID(_ text: String, inbox: Bool) async throws -> EnvelopeID {
        if let id = EnvelopeID(hex: text.lowercased()) { return id }
        var known = vault.opened.map(\.envelopeId) + (vault.sent ?? []).map(\.envelopeId)
        if inbox { known += try await self.inbox().map(\.envelopeID) }
        return try NameResolution.id(text, among: known, what: "enveloppe")
    }

    /// A consent id from a prefix, among the consents recorded on this device.
    public func resolveConsentID(_ text: String) throws -> ConsentID {
        try NameResolution.id(text, among: vault.consents.compactMap { (try? ConsentRecord.verify($0.record, signer: identity.publicIdentity))?.consentId }, what: "consentement")
    }

    /// A child-protection declaration id from a prefix, among the declarations made on this device.
    public func resolveDeclarationID(_ text: String) throws -> ConsentID {
        try NameResolution.id(text, among: vault.declarations + (vault.declarationRecords ?? [:]).keys, what: "déclaration")
    }
}

extension Identifier {
    /// The first 8 hex digits, as human output shows an id (`NameResolution.shownDigits`); any
    /// unique prefix of 6 or more is accepted back.
    public var short: String { NameResolution.short(self) }
}
