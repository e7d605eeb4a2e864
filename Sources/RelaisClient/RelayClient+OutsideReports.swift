import OpenAPIRuntime
import RelaisAPI
public import RelaisCore

/// `POST /v1/outside-reports` (SPEC.md, "Report made outside Relais").
extension RelayClient {
    /// Sends a signed `OutsideReportRecord`; the relay stores and logs it.
    public func putOutsideReport(_ signed: SignedObject) async throws {
        switch try await client.putOutsideReport(body: .json(Self.schema(signed))) {
        case .created: return
        case let .badRequest(e): throw try Self.refusal(400, e.body.json)
        case let .unauthorized(e): throw try Self.refusal(401, e.body.json)
        case let .forbidden(e): throw try Self.refusal(403, e.body.json)
        case let .conflict(e): throw try Self.refusal(409, e.body.json)
        case let .contentTooLarge(e): throw try Self.refusal(413, e.body.json)
        case let .tooManyRequests(e): throw try Self.refusal(429, e.body.json)
        case let .serviceUnavailable(e): throw try Self.refusal(503, e.body.json)
        case let .undocumented(status, _): throw ClientError.unexpected(status: status)
        }
    }
}
