import Foundation
public import HTTPTypes
import Hummingbird
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
