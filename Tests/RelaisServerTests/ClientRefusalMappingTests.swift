import Foundation
import OpenAPIRuntime
import RelaisAPI
@testable import RelaisClient
import Testing

/// `RelayClient.failure`, the one mapping from the generated outputs to `ClientError`, and the
/// contract's open `ErrorCode`: a code this client does not know still decodes and is kept.
@Suite struct ClientRefusalMappingTests {
    static func body(_ code: String) throws -> Components.Schemas._Error {
        try JSONDecoder().decode(Components.Schemas._Error.self, from: Data(#"{"error":"\#(code)","message":"m"}"#.utf8))
    }

    @Test func aKnownAndAnUnknownCodeBothDecode() throws {
        let known = try Self.body("declaration_expired")
        #expect(known.error.value1 == .declarationExpired)
        let future = try Self.body("a_code_of_a_newer_relay")
        #expect(future.error.value1 == nil && future.error.value2 == "a_code_of_a_newer_relay")
        #expect(RelayClient.refusal(403, future) == .refused(status: 403, code: "a_code_of_a_newer_relay", message: "m"))
    }

    @Test func eachSharedResponseMapsToItsStatusWhateverTheOperation() throws {
        let e = try Self.body("pending")
        let outputs: [(any Sendable, Int)] = [
            (Operations.PutKeyPackage.Output.badRequest(.init(body: .json(e))), 400),
            (Operations.PutKeyPackage.Output.unauthorized(.init(body: .json(e))), 401),
            (Operations.PutKeyPackage.Output.forbidden(.init(body: .json(e))), 403),
            (Operations.PutKeyPackage.Output.conflict(.init(body: .json(e))), 409),
            (Operations.PutKeyPackage.Output.contentTooLarge(.init(body: .json(e))), 413),
            (Operations.PutKeyPackage.Output.tooManyRequests(.init(body: .json(e))), 429),
            (Operations.PutKeyPackage.Output.serviceUnavailable(.init(body: .json(e))), 503),
            (Operations.GetDevice.Output.notFound(.init(body: .json(e))), 404),
            (Operations.SubmitEnvelope.Output.unprocessableContent(.init(body: .json(e))), 422),
        ]
        for (output, status) in outputs {
            #expect(RelayClient.failure(output) == .refused(status: status, code: "pending", message: "m"), "\(status)")
        }
        #expect(RelayClient.failure(Operations.PutKeyPackage.Output.undocumented(statusCode: 500, .init())) == .unexpected(status: 500))
        // A success the caller's switch forgot is not passed off as the relay's refusal.
        guard case .verification = RelayClient.failure(Operations.PutKeyPackage.Output.ok(.init(body: .json(.init(targetDeviceId: "", keyId: ""))))) else {
            Issue.record("a success case must not become a refusal")
            return
        }
    }
}
