import OpenAPIRuntime
import RelaisAPI
public import RelaisCore

/// `POST /v1/outside-reports` (SPEC.md, "Report made outside Relais").
extension RelayClient {
    /// Sends a signed `OutsideReportRecord`; the relay stores and logs it.
    public func putOutsideReport(_ signed: SignedObject) async throws {
        switch try await client.putOutsideReport(body: .json(Self.schema(signed))) {
        case .created: return
        case let other: throw Self.failure(other)
        }
    }
}
