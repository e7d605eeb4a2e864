import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `relais-server --log-format json` (issue 19): the real binary writes one JSON object a line on
/// stderr, one line per request with its request id, method, masked route and status, and the
/// privacy rules of LogPrivacyTests hold (no body, key, name or identifier).
@Suite("relais-server JSON logs", .serialized)
struct JSONLogTests {
    @Test func oneJSONLinePerRequestWithItsIDAndNothingPersonal() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relais-jsonlog-\(UUID().uuidString)").path
        let logPath = data + ".log"
        defer { try? FileManager.default.removeItem(atPath: data); try? FileManager.default.removeItem(atPath: logPath) }
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: relaisServerBinary)
        p.arguments = ["--data", data, "--listen", "127.0.0.1:0"]
        p.environment = ["RELAIS_LOG_FORMAT": "json", "RELAIS_LOG_LEVEL": "info", "PATH": "/usr/bin:/bin"]
        let out = Pipe()
        (p.standardOutput, p.standardError) = (out, log)
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        let reader = out.fileHandleForReading
        let text = try await offCooperativePool {
            var text = ""
            while !text.contains("listening on ") {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            return text
        }
        let base = try #require(text.split(separator: "\n").first { $0.contains("listening on ") }.map { String($0.split(separator: " ").last!) })
        let canaryID = "c0ffee" + String(repeating: "ab", count: 13)
        var requests = [HTTPClientRequest(url: base + "/healthz"), HTTPClientRequest(url: base + "/readyz"),
                        HTTPClientRequest(url: base + "/v1/devices/\(canaryID)")]
        var post = HTTPClientRequest(url: base + "/v1/enrolments")
        post.method = .POST
        post.headers.add(name: "content-type", value: "application/json")
        post.body = .bytes(ByteBuffer(string: #"{"name":"Prénom-Canari-Qwerty"}"#))
        requests.append(post)
        var statuses: [Int] = []
        for request in requests {
            statuses.append(Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code))
        }
        kill(p.processIdentifier, SIGTERM)
        let deadline = Date().addingTimeInterval(15)
        while p.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!p.isRunning && p.terminationStatus == 0)
        let lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n")
        let objects = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
        #expect(objects.count == lines.count && !lines.isEmpty, "every line is one JSON object of strings:\n\(lines.joined(separator: "\n"))")
        let requestLines = objects.filter { $0["message"] == "request" }
        #expect(requestLines.map { $0["route"] ?? "" } == ["/healthz", "/readyz", "/v1/devices/:id", "/v1/enrolments"])
        #expect(requestLines.map { Int($0["status"] ?? "") ?? 0 } == statuses)
        #expect(Set(requestLines.compactMap { $0["request_id"] }).count == requests.count, "each request has its own id")
        #expect(objects.allSatisfy { $0["time"] != nil && $0["level"] != nil && $0["label"] != nil })
        // The store closed at shutdown says so (after the group-commit statistics).
        #expect(objects.contains { $0["message"] == "group commit" })
        let all = lines.joined(separator: "\n")
        for canary in [canaryID, "Canari", "Qwerty"] { #expect(!all.contains(canary), "a log line contains \(canary)") }
    }
}
