import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RelaisClient
import RelaisCore
import RelaisCrypto
import RelaisServer
import RelaisStore
import RelaisStoreSQLite
import Testing

/// `relais-server --metrics`: counts that follow what happened, and nothing that names anyone;
/// `GET /readyz`: ready only while the store answers.
@Suite("Metrics and readiness")
struct MetricsTests {
    /// A submit, its retry, both recipients' fetch and acknowledgement, an unsigned, a replayed and
    /// an unknown request: each shows in the counters, by route, method, status or outcome.
    @Test(arguments: RelayStoreKind.available) func metricsCountWhatHappened(store: RelayStoreKind) async throws {
        try await LiveRelay.run(store: store) { live in
            let net = try await Network.build(on: live)
            let sealed = try net.sealToAssociation()
            let pro = live.client(net.professional)
            let (id, _) = try await pro.submit(sealed.bytes)
            let (_, duplicate) = try await pro.submit(sealed.bytes)
            #expect(duplicate)
            for device in net.associationDevices {
                let c = live.client(device.identity)
                _ = try await c.fetch(id)
                _ = try await c.acknowledge(id)
            }
            #expect(try await live.raw(.GET, "/v1/inbox").status == 401)
            let member = net.associationDevices[0].identity
            let sig = RequestSignature.sign(method: "GET", target: "/v1/inbox", body: [], identity: member, timestamp: live.clock.now(), rng: SystemRandom())
            #expect(try await live.raw(.GET, "/v1/inbox", signature: sig).status == 200)
            #expect(try await live.raw(.GET, "/v1/inbox", signature: sig).errorCode == "replayed")
            #expect(try await live.raw(.GET, "/no/such/route", signer: member).status == 404)
            // A consent withdrawn with an envelope still held under it.
            try await net.sendUnderANewConsentThenWithdrawIt()

            let m = try await Exposition.scrape(live)
            #expect(m["relais_envelopes_submitted_total{outcome=\"stored\"}"] == 2)
            #expect(m["relais_envelopes_submitted_total{outcome=\"duplicate\"}"] == 1)
            #expect(m["relais_acknowledgements_total"] == 2)
            #expect(m["relais_envelopes_deleted_total{reason=\"acknowledged\"}"] == 1)
            #expect(m["relais_envelopes_deleted_total{reason=\"expired\"}"] == 0)
            #expect(m["relais_envelopes_deleted_total{reason=\"withdrawn\"}"] == 1)
            #expect(m["relais_http_requests_total{route=\"/v1/envelopes\",method=\"POST\",status=\"201\"}"] == 2)
            #expect(m["relais_http_requests_total{route=\"/v1/envelopes\",method=\"POST\",status=\"200\"}"] == 1)
            #expect(m["relais_http_requests_total{route=\"/v1/envelopes/:id\",method=\"GET\",status=\"200\"}"] == 2)
            #expect(m["relais_http_requests_total{route=\"/v1/envelopes/:id/ack\",method=\"POST\",status=\"200\"}"] == 2)
            #expect(m["relais_http_requests_total{route=\"/v1/inbox\",method=\"GET\",status=\"401\"}"] == 2)
            #expect(m["relais_http_requests_total{route=\"other\",method=\"GET\",status=\"404\"}"] == 1)
            #expect(m["relais_http_request_duration_seconds_count{route=\"/v1/envelopes\",method=\"POST\"}"] == 3)
            #expect(m["relais_authentication_refusals_total{reason=\"unsigned\"}"] == 1)
            #expect(m["relais_authentication_refusals_total{reason=\"replayed\"}"] == 1)
            #expect(m["relais_store_up"] == 1)
            #expect(m["relais_envelopes_held"] == 0)
            #expect(m["relais_organisations"] == 2)
            #expect(m["relais_http_requests_total{route=\"/v1/consents/:id/withdrawal\",method=\"POST\",status=\"200\"}"] == 1)
            #expect(m["relais_audit_log_entries"] == Double(try await live.relay.store.auditLogSize()))
            if store == .sqlite {
                #expect((m["relais_sqlite_group_commit_writes_total"] ?? 0) >= 3, "two submits and two acknowledgements, batched")
            }
        }
    }

    /// No identifier, name, key or payload reaches the metrics, whatever the requests carried:
    /// the paths' ids become `:id`, a path outside the API is `other`, an unknown method `other`.
    @Test func metricsNameNobody() async throws {
        try await LiveRelay.run { live in
            let net = try await Network.build(on: live)
            let canary = "CANARY-Zoe-\(UUID().uuidString)"
            let sealed = try net.sealToAssociation(referral: Array(#"{"schemaVersion":1,"name":"\#(canary)"}"#.utf8))
            let (id, _) = try await live.client(net.professional).submit(sealed.bytes)
            _ = try await live.client(net.associationDevices[0].identity).fetch(id)
            _ = try await live.raw(.GET, "/v1/devices/\(net.professional.deviceID.hex)", signer: net.associationAdmin)
            _ = try await live.raw(.GET, "/\(canary)/\(net.association.hex)", signer: net.professional)
            // A method outside the known ones (llhttp parses WebDAV's): refused, and counted as `other`.
            #expect(try await live.raw(HTTPMethod(rawValue: "PROPFIND"), "/v1/envelopes/\(id.hex)", signer: net.professional).status == 405)
            let text = try await Exposition.text(live)
            #expect(!text.contains("CANARY"), "a path reached the metrics")
            #expect(!text.contains("Exemple"), "an organisation's name reached the metrics")
            #expect(text.range(of: "[0-9a-f]{32}", options: .regularExpression) == nil, "an identifier reached the metrics")
            #expect(text.contains("route=\"/v1/devices/:id\""))
            #expect(text.contains("route=\"other\""))
            #expect(text.contains("method=\"other\""))
        }
    }

    /// `/readyz` answers 200 while the store answers and 503 `unavailable` once it does not, while
    /// `/healthz` (the process is up) stays 200; the metrics say `relais_store_up 0`.
    @Test func readinessFollowsTheStore() async throws {
        try await LiveRelay.run { live in
            let ready = try await live.raw(.GET, "/readyz")
            #expect(ready.status == 200 && ready.json["status"] == "ready")
            #expect(try await Exposition.scrape(live)["relais_store_up"] == 1)
            let store = try #require(live.relay.store as? SQLiteRelayStore)
            try store.close()
            let notReady = try await live.raw(.GET, "/readyz")
            #expect(notReady.status == 503 && notReady.errorCode == "unavailable")
            #expect(try await live.raw(.GET, "/healthz").status == 200)
            #expect(try await Exposition.scrape(live)["relais_store_up"] == 0)
        }
    }

    /// The real binary: `--metrics HOST:PORT` serves the exposition there, in the Prometheus text
    /// format, and a malformed address is refused before anything starts.
    @Test func relaisServerMetricsOption() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relais-metrics-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try await ServerProcess(data: data, metrics: true)
        defer { kill(server.process.processIdentifier, SIGKILL) }
        let metricsURL = try #require(server.metricsURL, "relais-server did not print its metrics address")
        #expect(metricsURL.port != server.url.port)
        _ = try await HTTPClient.shared.execute(HTTPClientRequest(url: server.url.absoluteString + "/readyz"), timeout: .seconds(10))
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: metricsURL.absoluteString), timeout: .seconds(10))
        #expect(response.status.code == 200)
        #expect(response.headers["Content-Type"].first == "text/plain; version=0.0.4; charset=utf-8")
        let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
        let m = Exposition.parse(text)
        #expect(m["relais_store_up"] == 1)
        #expect(m["relais_http_requests_total{route=\"/readyz\",method=\"GET\",status=\"200\"}"] == 1)
        #expect(text.contains("# TYPE relais_http_requests_total counter"))
        await server.kill9()

        let p = Process()
        p.executableURL = URL(fileURLWithPath: relaisServerBinary)
        p.arguments = ["--data", data + "-refused", "--metrics", "9464"]
        let errors = Pipe()
        p.standardError = errors
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let status = try await offCooperativePool { p.waitUntilExit(); return p.terminationStatus }
        #expect(status == 64)
        #expect(String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).contains("--metrics must be HOST:PORT"))
        #expect(!FileManager.default.fileExists(atPath: data + "-refused"), "a refused start must create nothing")
    }
}

/// The Prometheus text format, read back: `name{labels}` → value, for the samples (not the
/// `# HELP` and `# TYPE` lines).
enum Exposition {
    static func text(_ live: LiveRelay) async throws -> String {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: live.metricsURL.absoluteString), timeout: .seconds(10))
        #expect(response.status.code == 200)
        return String(buffer: try await response.body.collect(upTo: 1 << 20))
    }

    static func scrape(_ live: LiveRelay) async throws -> [String: Double] { parse(try await text(live)) }

    static func parse(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
            samples[String(line[..<space])] = value
        }
        return samples
    }
}
