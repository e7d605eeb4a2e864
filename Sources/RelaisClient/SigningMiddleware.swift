import Foundation
import HTTPTypes
import OpenAPIRuntime
import RelaisCore
import RelaisCrypto

/// Signs every outgoing request with the device key (SPEC.md, "Request authentication").
struct SigningMiddleware: ClientMiddleware {
    let identity: DeviceIdentity
    let clock: any RelaisClock
    let rng: any RandomSource
    let maxBodyBytes: Int

    func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var bytes: [UInt8] = []
        if let body { bytes = try await [UInt8](collecting: body, upTo: maxBodyBytes) }
        // The path as the relay sees it: the base URL's path (if any) joined with the operation's.
        let basePath = baseURL.path.hasSuffix("/") ? String(baseURL.path.dropLast()) : baseURL.path
        let target = basePath + (request.path ?? "/")
        let signature = RequestSignature.sign(method: request.method.rawValue, target: target, body: bytes, identity: identity,
                                              timestamp: clock.now(), rng: rng)
        var signed = request
        for (name, value) in signature.headers {
            signed.headerFields[HTTPField.Name(name)!] = value
        }
        return try await next(signed, body == nil ? nil : HTTPBody(bytes), baseURL)
    }
}
