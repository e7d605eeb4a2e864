import HTTPTypes
import Logging
import OpenAPIRuntime

/// Turns what the OpenAPI layer throws into responses: a `RelayError` becomes its JSON refusal; a
/// request the generated code could not decode (malformed JSON, wrong types) becomes a 400; anything
/// else is an empty 500, logged by type only, never by content.
struct OpenAPIErrorMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?))
        async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError {
            if let relayError = error.underlyingError as? RelayError {
                return (HTTPResponse(status: relayError.status, headerFields: relayError.httpHeaderFields), relayError.httpBody)
            }
            if error.operationInput == nil {
                let refusal = RelayError.badRequest("malformed", "the request does not match the API (\(operationID)): check the JSON body and parameters")
                return (HTTPResponse(status: refusal.status, headerFields: refusal.httpHeaderFields), refusal.httpBody)
            }
            logger.error("internal error", metadata: ["operation": .string(operationID), "error": .string("\(type(of: error.underlyingError))")])
            return (HTTPResponse(status: .internalServerError), nil)
        } catch {
            logger.error("internal error", metadata: ["operation": .string(operationID), "error": .string("\(type(of: error))")])
            return (HTTPResponse(status: .internalServerError), nil)
        }
    }
}
