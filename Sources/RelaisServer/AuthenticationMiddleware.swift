import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RelaisCore
import RelaisCrypto
import RelaisStore

/// Authenticates each request in two steps, so that a client that cannot sign costs the relay
/// neither a body's memory nor a trap (issue 14, findings 0 and 4):
///
/// 1. From the headers alone: their format, the timestamp's freshness (compared without an
///    overflowing addition), the start of this process, the nonce not yet used, the device
///    enrolled and not revoked (or the session open), and the rate limit of that device from this
///    client address. A refusal here reads none of the body.
/// 2. Then the body, within its route's limit and the relay-wide budget of unverified bytes, and
///    the signature or MAC over its digest; the nonce is claimed, the per-device rate limit
///    applied, and the caller handed to the OpenAPI handlers through `Caller.current`.
///
/// Routes without a device signature read at most `maxPublicBodyBytes`, rate-limited per client
/// address.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = RelayRequestContext
    let relay: Relay
    let unverifiedBodies: UnverifiedBodyBudget

    /// Routes that carry no device signature.
    static func isPublic(_ method: HTTPRequest.Method, _ path: String) -> Bool {
        (method == .get && (path == "/healthz" || path == "/readyz" || path == "/v1/relay" || path == "/v1/log/checkpoint"))
            || (method == .post && path == "/v1/enrolments")
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let config = relay.configuration
        let path = request.uri.path
        if let allowed = APIRoutes.allowed(path), !allowed.contains(request.method) {
            let names = allowed.map(\.rawValue).joined(separator: ", ")
            var response = RelayError(.methodNotAllowed, "method_not_allowed", "\(RequestLogMiddleware<Context>.route(path)) accepts \(names)").response
            response.headers[.allow] = names
            return response
        }
        let client = context.clientKey(forwardedFor: request.headers[values: .xForwardedFor], trustedProxies: config.trustedProxies)
        if Self.isPublic(request.method, path) {
            return try await handlePublic(request, context: context, client: client, next: next)
        }
        let limit = (request.method == .post && path == "/v1/envelopes") ? config.maxEnvelopeBytes : config.maxJSONBodyBytes
        // Step 1: everything the headers can tell, before any of the body is read.
        let claim: Claim
        switch await result({ try await claimFromHeaders(request, client: client) }) {
        case .success(let c): claim = c
        case .failure(let refusal):
            relay.metrics.authenticationRefused(refusal.code)
            return refusal.response
        }
        // Step 2: the body, within its limit and the budget of unverified bytes, then its signature.
        let announced = request.headers[.contentLength].flatMap(Int.init)
        if let announced, announced > limit { return RelayError.tooLarge(limit).response }
        let reservation = announced.map { max(0, $0) } ?? limit
        guard unverifiedBodies.reserve(reservation) else {
            relay.metrics.authenticationRefused("busy")
            return RelayError(.serviceUnavailable, "busy", "the relay is reading too many requests at once; retry in a second", retryAfter: 1).response
        }
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch {
            unverifiedBodies.release(reservation)
            return RelayError.tooLarge(limit).response
        }
        let verified = await result { try await verify(request, claim: claim, body: body) }
        unverifiedBodies.release(reservation)
        let caller: Caller
        switch verified {
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

    /// A route without a device signature: enrolment is limited per client address and its body to
    /// `maxPublicBodyBytes`; the others are GETs without a body.
    private func handlePublic(_ request: Request, context: Context, client: String,
                              next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post else { return try await next(request, context) }
        // Per address, not one bucket for every client: a flood from one address does not delay
        // the others' enrolments (issue 14, finding 5).
        if let wait = relay.rateLimiter.take("enrolment " + client, now: relay.clock.preciseNow()) {
            return RelayError(.tooManyRequests, "rate_limited", "too many enrolment attempts from this address; retry in \(wait) s", retryAfter: wait).response
        }
        let limit = relay.configuration.maxPublicBodyBytes
        if let announced = request.headers[.contentLength].flatMap(Int.init), announced > limit { return RelayError.tooLarge(limit).response }
        var request = request
        do {
            _ = try await request.collectBody(upTo: limit)
        } catch {
            return RelayError.tooLarge(limit).response
        }
        return try await next(request, context)
    }

    /// What step 1 established: the device (enrolled, not revoked) and the credentials to verify.
    private struct Claim {
        let device: StoredDevice
        let credentials: RequestCredentials
        /// The session key, for a session request.
        let sessionKey: SecretBytes?
    }

    private func claimFromHeaders(_ request: Request, client: String) async throws -> Claim {
        let h = request.headers
        func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { h[$0] } }
        guard let credentials = RequestCredentials(header: header) else {
            throw RequestCredentials.namesSession(header: header)
                ? RelayError.unauthorized("unsigned", "a session request needs the Relais-Session, Relais-Timestamp, Relais-Nonce and Relais-MAC headers")
                : RelayError.unauthorized("unsigned", "this request needs the Relais-Device, Relais-Timestamp, Relais-Nonce and Relais-Signature headers")
        }
        let now = relay.clock.now()
        let skew = relay.configuration.clockSkewSeconds
        guard RequestSignature.isFresh(timestamp: credentials.timestamp, now: now, skew: skew) else {
            throw RelayError.unauthorized("stale", "the request timestamp is more than \(skew) s from the relay clock (\(now)); check this device's clock")
        }
        guard credentials.timestamp >= relay.startedAt else {
            // Nonces are remembered in memory: refuse anything signed before this process started.
            throw RelayError.unauthorized("stale", "the request was signed before the relay started; sign it again")
        }
        let device: StoredDevice
        var sessionKey: SecretBytes?
        switch credentials {
        case .signature(let signed):
            device = try await enrolledDevice(signed.deviceID)
        case .session(let id, _, _, _):
            guard let session = relay.sessions.session(id, now: now) else {
                throw RelayError.unauthorized("session_unknown", "this session is unknown or expired (sessions last \(relay.configuration.sessionLifetimeSeconds) s and end when the relay restarts): open a new one")
            }
            device = try await enrolledDevice(session.device)
            sessionKey = session.key
        }
        guard !relay.replayGuard.wasUsed(device: device.id.hex, nonce: credentials.nonce) else { throw Self.replayed }
        // Keyed by device and address: whoever knows a device id cannot use up that device's requests
        // from elsewhere; the device's own limit applies once a request verifies.
        if let wait = relay.rateLimiter.take(device.id.hex + " " + client, now: relay.clock.preciseNow()) {
            throw RelayError(.tooManyRequests, "rate_limited", "this device sent too many requests; retry in \(wait) s", retryAfter: wait)
        }
        return Claim(device: device, credentials: credentials, sessionKey: sessionKey)
    }

    private static let replayed = RelayError.unauthorized("replayed", "this request was already received (nonce reused)")

    private func verify(_ request: Request, claim: Claim, body: ByteBuffer) async throws -> Caller {
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let digest = body.withUnsafeReadableBytes { SHA256.hash($0) }
        let method = request.method.rawValue
        let device = claim.device
        let viaSession: Bool
        switch claim.credentials {
        case .signature(let signed):
            guard let key = try? Ed25519PublicKey(bytes: device.publicKey),
                  signed.isValid(method: method, target: target, bodyDigest: digest, key: key) else {
                throw RelayError.unauthorized("bad_signature", "the request signature does not verify for this device")
            }
            viaSession = false
        case .session(_, let t, let n, let mac):
            guard let key = claim.sessionKey else { throw RelayError.unauthorized("session_unknown", "this session is unknown or expired") }
            let expected = RequestSession.mac(key: key, method: method, target: target, timestamp: t, nonce: n, device: device.id, bodyDigest: digest)
            guard constantTimeEqual(expected, mac) else {
                throw RelayError.unauthorized("bad_mac", "the request MAC does not verify for this session")
            }
            viaSession = true
        }
        let (timestamp, nonce) = (claim.credentials.timestamp, claim.credentials.nonce)
        let now = relay.clock.now()
        guard relay.replayGuard.firstUse(device: device.id.hex, nonce: nonce, timestamp: timestamp, now: now) else { throw Self.replayed }
        if let shared = relay.store as? any SharedNonceStore {
            // Relays sharing one database: the request may have been received by another one. The
            // timestamp is fresh here (within the skew of now), so this sum cannot overflow.
            let expiresAt = timestamp + 2 * relay.configuration.clockSkewSeconds + 1
            guard try await storeAccess({ try await shared.claimNonce(device: device.id, nonce: nonce, expiresAt: expiresAt, now: now) }) else {
                throw Self.replayed
            }
        }
        if device.status == .pending, !(request.method == .get && request.uri.path == "/v1/me") {
            throw RelayError.forbidden("pending", "this device is not active yet: its enroller must approve it (relais admin approve)")
        }
        return Caller(device: device, bodyDigest: digest, bodyLength: body.readableBytes, viaSession: viaSession)
    }

    /// A refusal as a value; a failure that is not a `RelayError` is a 503.
    private func result<T>(_ body: () async throws -> T) async -> Result<T, RelayError> {
        do {
            return .success(try await body())
        } catch let error as RelayError {
            return .failure(error)
        } catch {
            return .failure(RelayError(.serviceUnavailable, "unavailable", "the relay cannot authenticate requests right now"))
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

extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
