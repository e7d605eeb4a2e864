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
        (method == .get && (path == "/healthz" || path == "/v1/relay" || path == "/v1/log/checkpoint"))
            || (method == .post && path == "/v1/enrolments")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let config = relay.configuration
        let path = request.uri.path
        let limit = (request.method == .post && path == "/v1/envelopes") ? config.maxEnvelopeBytes : config.maxJSONBodyBytes
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
        case .failure(let refusal): return refusal.response
        }
        if let wait = relay.rateLimiter.take(caller.id.hex, now: relay.clock.preciseNow()) {
            return RelayError(.tooManyRequests, "rate_limited", "this device sent too many requests; retry in \(wait) s", retryAfter: wait).response
        }
        return try await Caller.$current.withValue(caller) { try await next(request, context) }
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
        guard let signed = RequestSignature(device: header(RequestSignature.deviceHeader), timestamp: header(RequestSignature.timestampHeader),
                                            nonce: header(RequestSignature.nonceHeader), signature: header(RequestSignature.signatureHeader)) else {
            throw RelayError.unauthorized("unsigned", "this request needs the Relais-Device, Relais-Timestamp, Relais-Nonce and Relais-Signature headers")
        }
        let now = relay.clock.now()
        let skew = relay.configuration.clockSkewSeconds
        guard signed.timestamp + skew >= now, signed.timestamp <= now + skew else {
            throw RelayError.unauthorized("stale", "the request timestamp is more than \(skew) s from the relay clock (\(now)); check this device's clock")
        }
        guard signed.timestamp >= relay.startedAt else {
            // Nonces are remembered in memory: refuse anything signed before this process started.
            throw RelayError.unauthorized("stale", "the request was signed before the relay started; sign it again")
        }
        let device: StoredDevice?
        do {
            device = try await relay.store.device(signed.deviceID)
        } catch {
            relay.logger.error("store failure during authentication", metadata: ["error": "\(type(of: error))"])
            throw RelayError(.serviceUnavailable, "unavailable", "the relay cannot read its store; retry later")
        }
        guard let device, device.status != .revoked, let key = try? Ed25519PublicKey(bytes: device.publicKey) else {
            throw RelayError.unauthorized("unknown_device", "this device is not enrolled on this relay, or was revoked")
        }
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let digest = body.withUnsafeReadableBytes { SHA256.hash($0) }
        guard signed.isValid(method: request.method.rawValue, target: target, bodyDigest: digest, key: key) else {
            throw RelayError.unauthorized("bad_signature", "the request signature does not verify for this device")
        }
        guard relay.replayGuard.firstUse(device: device.id.hex, nonce: signed.nonce, timestamp: signed.timestamp, now: now) else {
            throw RelayError.unauthorized("replayed", "this request was already received (nonce reused)")
        }
        if device.status == .pending, !(request.method == .get && request.uri.path == "/v1/me") {
            throw RelayError.forbidden("pending", "this device is not active yet: its enroller must approve it (relais admin approve)")
        }
        return Caller(device: device, bodyDigest: digest, bodyLength: body.readableBytes)
    }
}
