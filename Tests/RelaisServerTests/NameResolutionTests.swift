import RelaisClient
import RelaisCore
import Testing

/// Issue 16, "Names, not identifiers": the matcher the CLI uses for every organisation argument
/// and every abbreviated id (`NameResolution`).
@Suite("Names and short ids (issue 16)")
struct NameResolutionTests {
    static func org(_ hex: String, _ name: String) -> OrganisationRecord {
        OrganisationRecord(id: OrganisationID(hex: hex)!, name: name, category: .specialisedAssociation, departements: ["93"], issuedAt: 0)
    }

    let directory = [
        org("3f2a9c01000000000000000000000000", "Association Exemple"),
        org("3f2a9c02000000000000000000000000", "Association Exemple Nord"),
        org("a0000000000000000000000000000001", "Œuvre d’Accueil Saint-Denis"),
        org("b0000000000000000000000000000002", "Aide sociale à l'enfance"),
        org("c0000000000000000000000000000003", "Éclaircie"),
    ]

    func name(_ text: String) throws -> String { try NameResolution.organisation(text, in: directory).name }

    @Test func foldingIgnoresCaseAccentsLigaturesAndPunctuation() {
        #expect(NameResolution.fold("Œuvre d’Accueil – Saint-Denis") == "oeuvre d accueil saint denis")
        #expect(NameResolution.fold("  ÉCLAIRCIE ") == "eclaircie")
        #expect(NameResolution.fold("Aide sociale à l'enfance") == NameResolution.fold("AIDE SOCIALE A L’ENFANCE"))
    }

    @Test func namesMatchWithoutCaseOrAccents() throws {
        #expect(try name("eclaircie") == "Éclaircie")
        #expect(try name("ÉCLAIRCIE") == "Éclaircie")
        #expect(try name("aide sociale a l'enfance") == "Aide sociale à l'enfance")
        #expect(try name("oeuvre d'accueil saint denis") == "Œuvre d’Accueil Saint-Denis")
    }

    @Test func aUniquePartOfANameIsEnough() throws {
        #expect(try name("enfance") == "Aide sociale à l'enfance")
        #expect(try name("saint-denis") == "Œuvre d’Accueil Saint-Denis")
        #expect(try name("nord") == "Association Exemple Nord")
    }

    @Test func anExactNameWinsOverAPartialOne() throws {
        // "Association Exemple" is also part of "Association Exemple Nord".
        #expect(try name("association exemple") == "Association Exemple")
    }

    @Test func anAmbiguousPartListsTheCandidates() {
        #expect(throws: NameResolution.Failure.ambiguous(what: "structure", text: "exemple",
                                                         candidates: ["Association Exemple (3f2a9c01)", "Association Exemple Nord (3f2a9c02)"])) {
            try name("exemple")
        }
    }

    @Test func anUnknownNameListsTheNearestOrTheWholeDirectory() throws {
        // Sharing the word "association": those two; sharing nothing: the whole directory.
        #expect(throws: NameResolution.Failure.unknown(what: "structure", text: "association inconnue",
                                                       candidates: ["Association Exemple (3f2a9c01)", "Association Exemple Nord (3f2a9c02)"])) {
            try name("association inconnue")
        }
        do {
            _ = try name("zzz")
            Issue.record("an unknown name must not resolve")
        } catch let NameResolution.Failure.unknown(_, _, candidates) {
            #expect(candidates.count == directory.count)
        }
        #expect(throws: NameResolution.Failure.self) { try name("   ") }
    }

    @Test func idsKeepWorking() throws {
        #expect(try name("b0000000000000000000000000000002") == "Aide sociale à l'enfance")
        #expect(try name("B0000000000000000000000000000002") == "Aide sociale à l'enfance", "hex in capitals too")
        #expect(try name("a00000") == "Œuvre d’Accueil Saint-Denis", "a unique id prefix of 6 digits")
        #expect(throws: NameResolution.Failure.self, "an id not in the verified directory") {
            try name("d0000000000000000000000000000004")
        }
        #expect(throws: NameResolution.Failure.self, "an ambiguous id prefix") { try name("3f2a9c") }
    }

    @Test func shortIDsAsGitDoes() throws {
        let ids = ["0123456789abcdef0000000000000000", "0123456789abcdef1111111111111111", "fedcba98765432100000000000000000"]
            .map { EnvelopeID(hex: $0)! }
        #expect(try NameResolution.id("fedcba", among: ids, what: "enveloppe") == ids[2])
        #expect(try NameResolution.id("FEDCBA98", among: ids, what: "enveloppe") == ids[2])
        #expect(try NameResolution.id("0123456789abcdef0", among: ids, what: "enveloppe") == ids[0])
        #expect(throws: NameResolution.Failure.ambiguous(what: "enveloppe", text: "0123456789",
                                                         candidates: [ids[0].hex, ids[1].hex])) {
            try NameResolution.id("0123456789", among: ids, what: "enveloppe")
        }
        #expect(throws: NameResolution.Failure.malformedID(what: "enveloppe", text: "fedcb")) {
            try NameResolution.id("fedcb", among: ids, what: "enveloppe")
        }
        #expect(throws: NameResolution.Failure.malformedID(what: "enveloppe", text: "fedcbz")) {
            try NameResolution.id("fedcbz", among: ids, what: "enveloppe")
        }
        #expect(throws: NameResolution.Failure.unknown(what: "enveloppe", text: "abcdef", candidates: [])) {
            try NameResolution.id("abcdef", among: ids, what: "enveloppe")
        }
        // A full id is taken as it is: whether it exists is the store's or the relay's to say.
        let unknown = EnvelopeID(hex: "99999999999999999999999999999999")!
        #expect(try NameResolution.id(unknown.hex, among: ids, what: "enveloppe") == unknown)
        #expect(NameResolution.short(ids[2]) == "fedcba98")
    }
}
