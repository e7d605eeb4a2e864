import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization

/// A relay that lies: an HTTP proxy on 127.0.0.1, port 0, in front of a real relay (`LiveRelay`).
/// It forwards every request unchanged (method, path and query, headers, body: the request
/// signatures cover method, target, timestamp, nonce and body digest, so they stay valid) and
/// hands each answer to the test's `rewrite` closure, which may replace the body. This is the
/// threat model's relay: it cannot sign anything, but it chooses what every client is shown.
///
/// Every exchange is recorded (method, target, status, and the answer as the real relay gave it),
/// so that a test can assert that nothing was submitted, or replay an answer the relay gave earlier
/// (an old directory record, an envelope it was supposed to have deleted).
struct LyingRelay: Sendable {
    /// Returns a replacement for an answer, or nil to pass it unchanged.
    typealias Rewrite = @Sendable (_ method: String, _ target: String, _ status: Int, _ headers: HTTPHeaders, _ body: [UInt8]) -> Answer?

    /// What the liar answers instead: a status, a body, and its content type (nil keeps the real one).
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var contentType: String?
        init(status: Int, body: [UInt8], contentType: String? = nil) {
            self.status = status
            self.body = body
            self.contentType = contentType
        }
    }

    struct Exchange: Sendable {
        let method: String
        /// Path and query, as the client sent them.
        let target: String
        let status: Int
        /// The real relay's answer, before any rewrite.
        let body: [UInt8]
        /// The requesting device (`Relais-Device`, hex), nil for an anonymous request.
        var device: String? = nil
    }

    let url: URL
    let upstream: URL
    private let state: State

    private final class State: Sendable {
        let rewrite = Mutex<Rewrite?>(nil)
        /// When set, only the answers to this device's requests (`Relais-Device`, hex) are rewritten.
        let victim = Mutex<String?>(nil)
        let exchanges = Mutex<[Exchange]>([])
    }

    /// Replaces the rewrite rule (nil: forward every answer unchanged).
    func lie(_ rewrite: Rewrite?) { state.rewrite.withLock { $0 = rewrite } }

    /// Lies to one device only (its hex id): every other device is shown the real answers. nil: to all.
    func lie(onlyTo device: String?) { state.victim.withLock { $0 = device } }

    /// Rewrites the JSON answers to `method` requests whose path (without the query) is `path`.
    func lieJSON(_ method: String, _ path: String, _ edit: @escaping @Sendable (inout [String: Any]) -> Void) {
        lie { m, target, status, _, body in
            guard m == method, Self.path(of: target) == path, (200..<300).contains(status),
                  var object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return nil }
            edit(&object)
            return Answer(status: status, body: Self.json(object))
        }
    }

    var exchanges: [Exchange] { state.exchanges.withLock { $0 } }

    /// The exchanges whose method is `method` and whose path starts with `prefix`.
    func exchanges(_ method: String, _ prefix: String) -> [Exchange] {
        exchanges.filter { $0.method == method && Self.path(of: $0.target).hasPrefix(prefix) }
    }

    static func path(of target: String) -> String { String(target.prefix { $0 != "?" }) }

    static func json(_ object: Any) -> [UInt8] { Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) }

    static func object(_ body: [UInt8]) -> [String: Any] { ((try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]) ?? [:] }

    /// Hop-by-hop headers and those the HTTP stacks set themselves from the body.
    private static let unforwarded: Set<String> = ["host", "content-length", "transfer-encoding", "connection", "keep-alive"]

    /// Runs the proxy in front of `live` for the duration of `body`.
    static func run<T: Sendable>(in front: LiveRelay, _ body: @Sendable (LyingRelay) async throws -> T) async throws -> T {
        let state = State()
        let upstream = front.url
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            try await forward(request, to: upstream, state: state)
        }
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "lying-relay")
        logger.logLevel = .warning
        let app = Application(responder: responder, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "lying-relay"),
                              onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await running(group) {
            var ports = portStream.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }
            return try await body(LyingRelay(url: URL(string: "http://127.0.0.1:\(port)")!, upstream: upstream, state: state))
        }
    }

    private static func forward(_ request: Request, to upstream: URL, state: State) async throws -> Response {
        let target = request.uri.string
        var outgoing = HTTPClientRequest(url: upstream.absoluteString + target)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headers where !unforwarded.contains(field.name.canonicalName) {
            outgoing.headers.add(name: field.name.rawName, value: field.value)
        }
        let requestBody = try await request.body.collect(upTo: 8 * 1024 * 1024)
        if requestBody.readableBytes > 0 { outgoing.body = .bytes(requestBody) }
        let answer = try await HTTPClient.shared.execute(outgoing, timeout: .seconds(60))
        let original = Array(buffer: try await answer.body.collect(upTo: 16 * 1024 * 1024))
        let status = Int(answer.status.code)
        let device = request.headers[HTTPField.Name("Relais-Device")!]
        state.exchanges.withLock { $0.append(Exchange(method: request.method.rawValue, target: target, status: status, body: original, device: device)) }
        let victim = state.victim.withLock { $0 }
        let rewrite = victim == nil || device == victim ? state.rewrite.withLock { $0 } : nil
        let lie = rewrite?(request.method.rawValue, target, status, answer.headers, original)
        var headers = HTTPFields()
        for (name, value) in answer.headers where !unforwarded.contains(name.lowercased()) {
            guard let field = HTTPField.Name(name), !(lie?.contentType != nil && field == .contentType) else { continue }
            headers.append(HTTPField(name: field, value: value))
        }
        if let type = lie?.contentType { headers[.contentType] = type }
        return Response(status: .init(code: lie?.status ?? status), headers: headers,
                        body: .init(byteBuffer: ByteBuffer(bytes: lie?.body ?? original)))
    }
}
