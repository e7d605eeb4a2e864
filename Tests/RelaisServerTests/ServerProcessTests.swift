import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import RelaisClient
import RelaisCore
import RelaisServer
import ServiceLifecycle
import Testing

@Suite("relais-server process: TLS and graceful stop", .serialized)
struct ServerProcessTests {
    @Test func sigtermStopsTheRelayGracefully() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relais-term-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let server = try await ServerProcess(data: data)
        let health = try await HTTPClient.shared.execute(HTTPClientRequest(url: server.url.absoluteString + "/healthz"), timeout: .seconds(10))
        #expect(health.status.code == 200)
        kill(server.process.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while server.process.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!server.process.isRunning, "relais-server did not stop within 15 s of SIGTERM")
        if server.process.isRunning { await server.kill9() }
        #expect(server.process.terminationReason == .exit && server.process.terminationStatus == 0)
        // A second start finds the operator invite unused and does not create another.
        let again = try await ServerProcess(data: data)
        let invite = try String(contentsOfFile: data + "/operator-invite", encoding: .utf8)
        #expect(InviteCode(invite) != nil)
        await again.kill9()
    }

    /// `--event-loops`: out of range is refused before anything starts; the default leaves the
    /// group-commit writer a core of its own.
    @Test func eventLoopThreads() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relais-loops-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        for bad in ["0", "257", "-1"] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: relaisServerBinary)
            p.arguments = ["--data", data, "--listen", "127.0.0.1:0", "--event-loops=\(bad)"]
            let errors = Pipe()
            p.standardError = errors
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(p.terminationStatus == 64, "--event-loops \(bad)")
            #expect(text.contains("--event-loops must be 1 to 256"), "\(text)")
        }
        #expect(!FileManager.default.fileExists(atPath: data), "a refused start must create nothing")
        var config = RelayConfiguration(dataDirectory: data)
        #expect([1, 2, 8].map { config.eventLoopThreadCount(cores: $0) } == [1, 1, 7])
        config.eventLoopThreads = 3
        #expect(config.eventLoopThreadCount(cores: 2) == 3)
    }

    @Test func tlsWithItsOwnCertificate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("relais-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                             "-keyout", dir + "/key.pem", "-out", dir + "/cert.pem", "-days", "1", "-subj", "/CN=127.0.0.1"]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a test certificate")
        var config = RelayConfiguration(dataDirectory: dir + "/data")
        config.port = 0
        config.tlsCertificatePath = dir + "/cert.pem"
        config.tlsKeyPath = dir + "/key.pem"
        let logger = Logger(label: "relais-tls-test")
        let prepared = try await RelayApplication.open(configuration: config, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try RelayApplication.application(relay: prepared.relay) { continuation.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var it = ports.makeAsyncIterator()
            let port = try #require(await it.next())
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.certificateVerification = .none  // self-signed test certificate
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
            let ok = try await client.execute(HTTPClientRequest(url: "https://127.0.0.1:\(port)/healthz"), timeout: .seconds(10))
            #expect(ok.status.code == 200)
            // Plain HTTP to the TLS port gets no HTTP answer.
            let plain = try? await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/healthz"), timeout: .seconds(5))
            #expect(plain?.status.code != 200)
            try await client.shutdown()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}
