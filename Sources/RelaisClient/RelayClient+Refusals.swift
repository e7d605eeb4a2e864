import OpenAPIRuntime
import RelaisAPI

/// The one mapping from the relay's refusals to `ClientError`. The generator gives each operation
/// its own `Output` enum, with no protocol in common, whose refusal cases all carry one of the
/// contract's shared responses (`#/components/responses/…`). So every operation's switch names
/// its successes and ends with `case let other: throw Self.failure(other)`, and `failure` reads the
/// case's payload and dispatches on its type: a shared refusal response, whichever operation it
/// came with, or an undocumented status.
extension RelayClient {
    /// What an answer that is not the operation's success means.
    static func failure(_ output: some Sendable) -> ClientError {
        let payload = Mirror(reflecting: output).children.first?.value
        if let refusal = payload as? any RelayRefusalResponse {
            let status = type(of: refusal).status
            guard let body = try? refusal.body.json else { return .unexpected(status: status) }
            return Self.refusal(status, body)
        }
        if let (status, _) = payload as? (statusCode: Int, UndocumentedPayload) { return .unexpected(status: status) }
        // A success case the caller's switch does not name: a bug here, not the relay's doing.
        return .verification("the relay's answer \(Mirror(reflecting: output).children.first?.label ?? "\(output)") is not handled by this client")
    }

    /// A refusal body as `ClientError`. The code is kept as sent, known to this client's contract
    /// (`ErrorCode`) or not (a newer relay's): callers compare it with the status first.
    static func refusal(_ status: Int, _ e: Components.Schemas._Error) -> ClientError {
        .refused(status: status, code: e.error.value2 ?? e.error.value1?.rawValue ?? "", message: e.message)
    }
}

/// A response every operation shares: its status and its `Error` body (the generated `json`).
protocol RelayRefusalResponse {
    associatedtype Body: RelayRefusalBody
    static var status: Int { get }
    var body: Body { get }
}

protocol RelayRefusalBody {
    var json: Components.Schemas._Error { get throws }
}

extension Components.Responses.BadRequest: RelayRefusalResponse { static var status: Int { 400 } }
extension Components.Responses.BadRequest.Body: RelayRefusalBody {}
extension Components.Responses.Unauthorized: RelayRefusalResponse { static var status: Int { 401 } }
extension Components.Responses.Unauthorized.Body: RelayRefusalBody {}
extension Components.Responses.Forbidden: RelayRefusalResponse { static var status: Int { 403 } }
extension Components.Responses.Forbidden.Body: RelayRefusalBody {}
extension Components.Responses.NotFound: RelayRefusalResponse { static var status: Int { 404 } }
extension Components.Responses.NotFound.Body: RelayRefusalBody {}
extension Components.Responses.Conflict: RelayRefusalResponse { static var status: Int { 409 } }
extension Components.Responses.Conflict.Body: RelayRefusalBody {}
extension Components.Responses.TooLarge: RelayRefusalResponse { static var status: Int { 413 } }
extension Components.Responses.TooLarge.Body: RelayRefusalBody {}
extension Components.Responses.Unprocessable: RelayRefusalResponse { static var status: Int { 422 } }
extension Components.Responses.Unprocessable.Body: RelayRefusalBody {}
extension Components.Responses.TooManyRequests: RelayRefusalResponse { static var status: Int { 429 } }
extension Components.Responses.TooManyRequests.Body: RelayRefusalBody {}
extension Components.Responses.Unavailable: RelayRefusalResponse { static var status: Int { 503 } }
extension Components.Responses.Unavailable.Body: RelayRefusalBody {}
