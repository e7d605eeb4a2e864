import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RelaisCore
import RelaisCrypto
import RelaisStore

/// Reads the body within its size limit, verifies the request signature, refuses replays, stale
/// timestamps, unknown and revoked devices, applies the per-device rate limit, and hands the
/// caller to the OpenAPI handlers through `Caller.current`.
struct AuthenticationMiddleware<Context: RequestContext>: RouterMiddleware {
    let relay: Relay

    /// Routes that carry no device signature.
    static func isPublic(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        (method == .get && (path == "/healthz" || path == "/readyz" || path == "/v1/relay" || path == "/v1/log/checkpoint"))
            || (method == .post && path == "/v1/enrolments")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let config = relay.configuration
        let path = request.uri.path
        let limit = (request.method == .post && path == "/v1/envelopes") ? config.maxEnvelopeBytes : config.maxJSONBodyBytes
        if let allowed = APIRoutes.allowed(path), !allowed.contains(request.method) {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            var response = RelayError(.methodNotAllowed, "method_not_allowed", "\(RequestLogMiddleware<Context>.route(path)) accepts \(names)").response
            response.headers[.allow] = names
            return response
        }
        // Refuse an announced oversized body before reading any of it.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            return RelayError.tooLarge(limit).response
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch {
            return RelayError.tooLarge(limit).response
        }
        if Self.isPublic(request.method, path) {
            if request.method == .post, let wait = relay.rateLimiter.take("anonymous-enrolment", now: relay.clock.preciseNow()) {
                return RelayError(.tooManyRequests, "rate_limited", "too many enrolment attempts; retry in \(wait) s", retryAfter: wait).response
            }
            return try await next(request, context)
        }
        let caller: Caller
        switch await authenticate(request, body: body) {
        case .success(let c): caller = c
        case .failure(let refusal):
            relay.metrics.authenticationRefused(refusal.code)
            return refusal.response
        }
        if let wait = relay.rateLimiter.take(caller.id.hex, now: relay.clock.preciseNow()) {
            relay.metrics.authenticationRefused("rate_limited")
            return RelayError(.tooManyRequests, "rate_limited", "this device sent too many requests; retry in \(wait) s", retryAfter: wait).response
        }
        do {
            return try await Caller.$current.withValue(caller) { try await next(request, context) }
        } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
            // Only the router throws these (the handlers' refusals are `RelayError`s): a method and
            // path the API does not have. Refused in JSON like every other refusal.
            return RelayError(.notFound, "no_route", "\(request.method.rawValue) \(RequestLogMiddleware<Context>.route(path)) is not in the API (Protocol/openapi.yaml)").response
        }
    }

    private func authenticate(_ request: Request, body: ByteBuffer) async -> Result<Caller, RelayError> {
        do {
            return .success(try await verify(request, body: body))
        } catch let error as RelayError {
            return .failure(error)
        } catch {
            return .failure(RelayError(.serviceUnavailable, "unavailable", "the relay cannot authenticate requests right now"))
        }
    }

    private func verify(_ request: Request, body: ByteBuffer) async throws -> Caller {
        let h = request.headers
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { h[$0] } }
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let digest = body.withUnsafeReadableBytes { SHA256.hash($0) }
        let now = relay.clock.now()
        let method = request.method.rawValue
        let device: StoredDevice
        let timestamp: UInt64, nonce: String
        let viaSession: Bool
        if let sessionText = header(RequestSession.sessionHeader) {
            // A request session (SPEC.md, "Request sessions"): HMAC-SHA-256 under the session key.
            guard let id = SessionID(hex: sessionText), let t = header(RequestSignature.timestampHeader).flatMap(RequestSignature.parseTimestamp),
                  let n = header(RequestSignature.nonceHeader).flatMap(RequestSignature.parseNonce),
                  let mac = header(RequestSession.macHeader).flatMap(Base64.decode), mac.count == HMACSHA256.byteCount else {
                throw RelayError.unauthorized("unsigned", "a session request needs the Relais-Session, Relais-Timestamp, Relais-Nonce and Relais-MAC headers")
            }
            try checkTimestamp(t, now: now)
            guard let session = relay.sessions.session(id, now: now) else {
                throw RelayError.unauthorized("session_unknown", "this session is unknown or expired (sessions last \(relay.configuration.sessionLifetimeSeconds) s and end when the relay restarts): open a new one")
            }
            let expected = RequestSession.mac(key: session.key, method: method, target: target, timestamp: t, nonce: n,
                                              device: session.device, bodyDigest: digest)
            guard constantTimeEqual(expected, mac) else {
                throw RelayError.unauthorized("bad_mac", "the request MAC does not verify for this session")
            }
            device = try await enrolledDevice(session.device)
            (timestamp, nonce, viaSession) = (t, n, true)
        } else {
            guard let signed = RequestSignature(device: header(RequestSignature.deviceHeader), timestamp: header(RequestSignature.timestampHeader),
                                                nonce: header(RequestSignature.nonceHeader), signature: header(RequestSignature.signatureHeader)) else {
                throw RelayError.unauthorized("unsigned", "this request needs the Relais-Device, Relais-Timestamp, Relais-Nonce and Relais-Signature headers")
            }
            try checkTimestamp(signed.timestamp, now: now)
            device = try await enrolledDevice(signed.deviceID)
            guard let key = try? Ed25519PublicKey(bytes: device.publicKey),
                  signed.isValid(method: method, target: target, bodyDigest: digest, key: key) else {
                throw RelayError.unauthorized("bad_signature", "the request signature does not verify for this device")
            }
            (timestamp, nonce, viaSession) = (signed.timestamp, signed.nonce, false)
        }
        let replayed = RelayError.unauthorized("replayed", "this request was already received (nonce reused)")
        guard relay.replayGuard.firstUse(device: device.id.hex, nonce: nonce, timestamp: timestamp, now: now) else { throw replayed }
        if let shared = relay.store as? any SharedNonceStore {
            // Relays sharing one database: the request may have been received by another one.
            let expiresAt = timestamp + 2 * relay.configuration.clockSkewSeconds + 1
            guard try await storeAccess({ try await shared.claimNonce(device: device.id, nonce: nonce, expiresAt: expiresAt, now: now) }) else {
                throw replayed
            }
        }
        if device.status == .pending, !(request.method == .get && request.uri.path == "/v1/me") {
            throw RelayError.forbidden("pending", "this device is not active yet: its enroller must approve it (relais admin approve)")
        }
        return Caller(device: device, bodyDigest: digest, bodyLength: body.readableBytes, viaSession: viaSession)
    }

    private func checkTimestamp(_ timestamp: UInt64, now: UInt64) throws {
        let skew = relay.configuration.clockSkewSeconds
        guard timestamp + skew >= now, timestamp <= now + skew else {
            throw RelayError.unauthorized("stale", "the request timestamp is more than \(skew) s from the relay clock (\(now)); check this device's clock")
        }
        guard timestamp >= relay.startedAt else {
            // Nonces are remembered in memory: refuse anything signed before this process started.
            throw RelayError.unauthorized("stale", "the request was signed before the relay started; sign it again")
        }
    }

    /// The device, enrolled and not revoked.
    private func enrolledDevice(_ id: DeviceID) async throws -> StoredDevice {
        guard let device = try await storeAccess({ try await relay.store.device(id) }), device.status != .revoked else {
            throw RelayError.unauthorized("unknown_device", "this device is not enrolled on this relay, or was revoked")
        }
        return device
    }

    /// A store call made while authenticating: any failure is logged (by type only) and answered 503.
    private func storeAccess<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            relay.logger.error("store failure during authentication", metadata: ["error": "\(type(of: error))"])
            throw RelayError(.serviceUnavailable, "unavailable", "the relay cannot read its store; retry later")
        }
    }
}
