import Foundation
public import HTTPTypes
import Hummingbird
import RelaisCore
public import OpenAPIRuntime

/// A refusal: an HTTP status, a stable code and a message saying what was wrong and what to do.
/// Rendered as `{"error": code, "message": message}`. Never carries a payload, a key or a name.
public struct RelayError: Error, Sendable, Equatable, HTTPResponseConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public static func badRequest(_ code: String, _ m: String) -> RelayError { .init(.badRequest, code, m) }
    public static func unauthorized(_ code: String, _ m: String) -> RelayError { .init(.unauthorized, code, m) }
    public static func forbidden(_ code: String, _ m: String) -> RelayError { .init(.forbidden, code, m) }
    public static func conflict(_ code: String, _ m: String) -> RelayError { .init(.conflict, code, m) }
    public static func unprocessable(_ code: String, _ m: String) -> RelayError { .init(.unprocessableContent, code, m) }
    public static func tooLarge(_ limit: Int) -> RelayError {
        .init(.contentTooLarge, "too_large", "the request body is larger than the relay accepts (\(limit) bytes)")
    }
    /// One answer for "does not exist" and "exists but is not yours", so ids cannot be probed.
    public static func notFound(_ what: String) -> RelayError { .init(.notFound, "not_found", "no such \(what) for this device") }

    var jsonBody: [UInt8] {
        let object = ["error": code, "message": message]
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data())
    }

    // HTTPResponseConvertible (OpenAPI handlers)
    public var httpStatus: HTTPResponse.Status { status }
    public var httpHeaderFields: HTTPFields {
        var f = HTTPFields()
        f[.contentType] = "application/json"
        if let retryAfter { f[.retryAfter] = String(retryAfter) }
        return f
    }
    public var httpBody: OpenAPIRuntime.HTTPBody? { HTTPBody(jsonBody) }

    /// As a Hummingbird response (middleware, outside the OpenAPI layer).
    var response: Response {
        Response(status: status, headers: httpHeaderFields, body: .init(byteBuffer: ByteBuffer(bytes: jsonBody)))
    }
}

extension RelayError {
    /// A status and code the relay answers with.
    public struct Documented: Hashable, Sendable {
        public let status: Int
        public let code: String

        public init(status: Int, code: String) {
            self.status = status
            self.code = code
        }
    }

    /// Every refusal the relay sends, as (status, code). The contract lists exactly these codes
    /// (`ErrorCode` in Protocol/openapi.yaml) and SPEC.md's table these pairs ("Errors and refusal
    /// codes"); `RefusalCodeTests` compares the three and scans the relay's sources for a code or
    /// a status that is not here. A new refusal goes here, in the contract and in SPEC.md.
    public static let documented: [Documented] = [
        (400, "malformed"), (400, "envelope"), (400, "envelope_id"), (400, "device_id"), (400, "organisation_id"),
        (400, "consent_id"), (400, "invite"), (400, "public_key"), (400, "proof"), (400, "record"), (400, "revocation"),
        (400, "signed_object"), (400, "signed_prekey"), (400, "ephemeral_key"), (400, "role"), (400, "lifetime"),
        (400, "departement"), (400, "category"), (400, "limit"), (400, "range"), (400, "consent"), (400, "withdrawal"),
        (400, "declaration"), (400, "package"), (400, "outside_report"), (400, "wait"),
        (401, "unauthenticated"), (401, "unsigned"), (401, "stale"), (401, "replayed"), (401, "unknown_device"),
        (401, "bad_signature"), (401, "session_unknown"), (401, "bad_mac"),
        (403, "pending"), (403, "role"), (403, "invite"), (403, "organisation"), (403, "operator"),
        (403, "session_needs_signature"), (403, "consent_organisation"), (403, "declaration_organisation"),
        (403, "outside_report_organisation"), (403, "key_package_target"),
        (404, "not_found"), (404, "no_route"),
        (405, "method_not_allowed"),
        (409, "conflict"), (409, "not_pending"), (409, "revoked"),
        (413, "too_large"),
        (422, "expiry"), (422, "recipients"), (422, "recipient"), (422, "prekey"),
        (429, "rate_limited"), (429, "too_many_waiters"),
        (503, "unavailable"), (503, "busy"),
    ].map { Documented(status: $0.0, code: $0.1) } + CoverPolicy.Code.allCases.map { Documented(status: 403, code: $0.rawValue) }
}
