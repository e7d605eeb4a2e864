import Foundation
import RelaisCore
import RelaisStore
import Testing

/// A national organisation (record version 2, `nationalScope`) lists no département and is found
/// for every département, on SQLite and PostgreSQL (issue 15).
@Suite struct NationalOrganisationStoreTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory() }

    @Test(arguments: StoreKind.available) func aNationalOrganisationMatchesEveryDepartement(kind: StoreKind) async throws {
        let store = try await directory.makeStore(kind)
        try await store.putOrganisation(Fixture.organisation(1, category: .specialisedAssociation, departements: ["93"]))
        try await store.putOrganisation(Fixture.organisation(2, category: .specialisedAssociation, departements: []))
        try await store.putOrganisation(Fixture.organisation(3, category: .health, departements: ["75"]))
        func ids(_ c: PartnerCategory?, _ d: String?) async throws -> [OrganisationID] {
            try await store.organisations(category: c, departement: d).map(\.id)
        }
        #expect(try await ids(nil, "93") == [1, 2].map(Fixture.org))
        #expect(try await ids(nil, "971") == [Fixture.org(2)], "the national one only")
        #expect(try await ids(.health, "13").isEmpty, "national scope does not lift the category filter")
        #expect(try await ids(nil, nil) == [1, 2, 3].map(Fixture.org))
        #expect(try await store.organisation(Fixture.org(2))?.departements == [])
        // A national organisation that becomes local stops matching elsewhere.
        try await store.putOrganisation(Fixture.organisation(2, category: .specialisedAssociation, departements: ["13"], sequence: 2))
        #expect(try await ids(nil, "971").isEmpty)
        #expect(try await ids(nil, "13") == [Fixture.org(2)])
    }
}
