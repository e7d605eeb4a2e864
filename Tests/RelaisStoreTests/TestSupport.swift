import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore
import RelaisStorePostgres
import RelaisStoreSQLite
import Testing

/// A fresh directory under the system's temporary directory, removed when the value goes away.
/// Every store of the tests is a real file in one of these (never `:memory:`): WAL, fsync and
/// the forensic checks only mean something on a file.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("relais-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var databasePath: String { url.appendingPathComponent("relay.sqlite").path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic test values: the same `n` always gives the same value, different `n` different ones.
enum Fixture {
    static func identifier<Kind>(_ n: Int, tag: UInt8 = 0) -> Identifier<Kind> {
        let bytes = [tag] + Array(repeating: 0, count: 7) + withUnsafeBytes(of: UInt64(n).bigEndian) { Array($0) }
        return Identifier<Kind>(bytes: bytes)!
    }

    static func device(_ n: Int) -> DeviceID { identifier(n, tag: 0xD0) }
    static func org(_ n: Int) -> OrganisationID { identifier(n, tag: 0x0A) }
    static func envelopeID(_ n: Int) -> EnvelopeID { identifier(n, tag: 0xE0) }
    static func inviteID(_ n: Int) -> InviteID { identifier(n, tag: 0x1F) }
    static func consentID(_ n: Int) -> ConsentID { identifier(n, tag: 0xC0) }
    static func prekeyID(_ n: Int) -> PrekeyID { PrekeyID(hex: String(format: "%016llx", UInt64(n)))! }

    static func signed(_ text: String) -> SignedObject {
        SignedObject(bytes: Array(text.utf8), signature: Array(SHA256.hash(Array(text.utf8)) + SHA256.hash(Array("sig".utf8))))
    }

    static func organisation(_ n: Int, category: PartnerCategory = .health, departements: [String] = ["75"],
                             sequence: UInt64 = 1, accreditedUntil: UInt64? = nil) -> StoredOrganisation {
        StoredOrganisation(id: org(n), signed: signed("organisation \(n) seq \(sequence)"), category: category,
                           departements: departements, sequence: sequence, exitProgrammeAccreditedUntil: accreditedUntil)
    }

    static func invite(_ n: Int, organisation: OrganisationID? = org(1), role: DeviceRole = .member, issuedBy: DeviceID? = device(100),
                       createdAt: UInt64 = 1_000, expiresAt: UInt64 = 2_000) -> StoredInvite {
        StoredInvite(id: inviteID(n), secretHash: SHA256.hash([UInt8(truncatingIfNeeded: n)]), organisationID: organisation, role: role,
                     issuedBy: issuedBy, createdAt: createdAt, expiresAt: expiresAt)
    }

    static func storedDevice(_ n: Int, organisation: OrganisationID? = org(1), role: DeviceRole = .member, status: DeviceStatus = .pending,
                             invite: Int? = nil, enroller: DeviceID = device(100), createdAt: UInt64 = 1_000) -> StoredDevice {
        StoredDevice(id: device(n), publicKey: SHA256.hash(Array("key \(n)".utf8)), organisationID: organisation, role: role,
                     status: status, inviteID: inviteID(invite ?? n), enroller: enroller, createdAt: createdAt)
    }

    static func prekey(device d: Int, _ n: Int, createdAt: UInt64, notAfter: UInt64 = 10_000, fill: UInt8 = 1) -> StoredPrekey {
        StoredPrekey(deviceID: device(d), prekeyID: prekeyID(n), record: Array(repeating: fill, count: 137), createdAt: createdAt,
                     notAfter: notAfter)
    }

    static func envelope(_ n: Int, from sender: Int = 1, senderOrg: Int = 1, to recipients: [Int] = [2],
                         submittedAt: UInt64 = 1_000, expiresAt: UInt64 = 5_000, bytes: [UInt8]? = nil) -> StoredEnvelope {
        let body = bytes ?? Array("envelope \(n) from \(sender)".utf8) + Array(repeating: UInt8(truncatingIfNeeded: n), count: 64)
        return StoredEnvelope(id: envelopeID(n), senderDevice: device(sender), senderOrganisation: org(senderOrg), bytes: body,
                              digest: SHA256.hash(body), sizeClass: 0, consent: ConsentReference(kind: .consent, id: consentID(n)),
                              submittedAt: submittedAt, expiresAt: expiresAt,
                              deliveries: recipients.map { Delivery(deviceID: device($0), organisationID: org(10 + $0)) })
    }
}

/// Expects `body` to throw a `StoreError` of `code`; returns it so the caller can check the message.
@discardableResult
func expectStoreError(_ code: StoreError.Code, sourceLocation: SourceLocation = #_sourceLocation,
                      _ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected StoreError.\(code), nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let e as StoreError {
        #expect(e.code == code, "expected \(code), got \(e.code): \(e.message)", sourceLocation: sourceLocation)
        return e
    } catch {
        Issue.record("expected StoreError.\(code), got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The store implementations the conformance suites run on: SQLite always (a real file), and
/// PostgreSQL when `RELAIS_POSTGRES_URL` names a server (`scripts/with-postgres.sh` starts a
/// throwaway one for `scripts/test.sh`). `RELAIS_REQUIRE_POSTGRES=1` (set by `.ci/run`) makes its
/// absence a failure (`PostgresAvailabilityTests`) instead of a skip.
enum StoreKind: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite, postgres

    var description: String { rawValue }

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["RELAIS_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The kinds this run can test.
    static var available: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

extension TemporaryDirectory {
    /// A fresh, empty store of `kind`: a new file in this directory, or a new schema of the
    /// PostgreSQL test database (a few connections, so parallel tests stay within the server's limit).
    func makeStore(_ kind: StoreKind, clock: any RelaisClock = SystemClock()) async throws -> any RelayStore {
        switch kind {
        case .sqlite:
            return try SQLiteRelayStore(path: databasePath, clock: clock)
        case .postgres:
            return try await Self.postgresStore(url: try Self.freshSchemaURL(), clock: clock)
        }
    }

    /// Tests queue hundreds of concurrent operations on 4 connections, and sanitizers slow everything
    /// down several times: the relay's 10 s per operation would fail them for nothing.
    static let postgresTimeout: Duration = .seconds(120)

    /// A PostgreSQL store on `url` with a few connections and the tests' deadline.
    static func postgresStore(url: String, connections: Int = 4, clock: any RelaisClock = SystemClock()) async throws -> PostgresRelayStore {
        try await PostgresRelayStore(endpoint: try PostgresEndpoint(url: url), maximumConnections: connections,
                                     operationTimeout: postgresTimeout, clock: clock)
    }

    /// The test server's URL with a schema of its own (`t_` and random hex).
    static func freshSchemaURL() throws -> String {
        guard let url = StoreKind.postgresURL else { throw StoreError.database("RELAIS_POSTGRES_URL is not set") }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return url + (url.contains("?") ? "&" : "?") + "schema=" + schema
    }
}
