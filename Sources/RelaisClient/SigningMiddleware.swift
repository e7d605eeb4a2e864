import Foundation
import HTTPTypes
import OpenAPIRuntime
public import RelaisCore
public import RelaisCrypto
import Synchronization

/// Authenticates every outgoing request (SPEC.md, "Request authentication"): with the session key
/// once `RelayClient.openSession()` has opened a request session, otherwise with a signature by
/// the device key. A session request the relay refuses with 401 (session unknown after a relay
/// restart, expired) forgets the session and is sent again, signed.
struct SigningMiddleware: ClientMiddleware {
    let identity: DeviceIdentity
    let clock: any RelaisClock
    let rng: any RandomSource
    let maxBodyBytes: Int
    let session: SessionHolder

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var bytes: [UInt8] = []
        if let body { bytes = try await [UInt8](collecting: body, upTo: maxBodyBytes) }
        // The path as the relay sees it: the base URL's path (if any) joined with the operation's.
        let basePath = baseURL.path.hasSuffix("/") ? String(baseURL.path.dropLast()) : baseURL.path
        let target = basePath + (request.path ?? "/")
        let method = request.method.rawValue
        let now = clock.now()
        // A session never opens another one: that request is always signed.
        if operationID != "createSession", let open = session.current(now: now) {
            let headers = RequestSession.headers(session: open.id, key: open.key, device: identity.deviceID, method: method, target: target,
                                                 body: bytes, timestamp: now, rng: rng)
            let answer = try await next(Self.with(headers, request), body == nil ? nil : HTTPBody(bytes), baseURL)
            guard answer.0.status == .unauthorized else { return answer }
            session.forget(open.id)
        }
        let signature = RequestSignature.sign(method: method, target: target, body: bytes, identity: identity, timestamp: now, rng: rng)
        return try await next(Self.with(signature.headers, request), body == nil ? nil : HTTPBody(bytes), baseURL)
    }

    static func with(_ headers: [(name: String, value: String)], _ request: HTTPRequest) -> HTTPRequest {
        var authenticated = request
        for (name, value) in headers {
            authenticated.headerFields[HTTPField.Name(name)!] = value
        }
        return authenticated
    }
}

/// An open request session: its id, its key, and its expiry (relay clock).
public struct OpenedSession: Sendable {
    public let id: SessionID
    public let key: SecretBytes
    public let expiresAt: UInt64
}

/// The client's open request session, if any.
final class SessionHolder: Sendable {
    typealias Open = OpenedSession

    private let open = Mutex<Open?>(nil)

    /// Margin before the relay's expiry: a session this close to its end is not used any more.
    static let margin: UInt64 = 30

    func current(now: UInt64) -> Open? {
        open.withLock { o in
            guard let session = o, session.expiresAt > now + Self.margin else { return nil }
            return session
        }
    }

    func set(_ session: Open) { open.withLock { $0 = session } }

    func forget(_ id: SessionID) { open.withLock { o in if o?.id == id { o = nil } } }
}
