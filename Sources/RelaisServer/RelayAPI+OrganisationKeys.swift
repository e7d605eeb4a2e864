import OpenAPIRuntime
import RelaisAPI
import RelaisCore
import RelaisStore

/// The organisation key routes of `RelayAPI` (SPEC.md, "Organisation key"): conversions only.
extension RelayAPI {
    func putKeyPackage(_ input: Operations.PutKeyPackage.Input) async throws -> Operations.PutKeyPackage.Output {
        guard case let .json(body) = input.body else { throw RelayError.badRequest("malformed", "expected JSON") }
        guard let bytes = Base64.decode(body.package) else { throw RelayError.badRequest("package", "package must be base64") }
        let (stored, outcome) = try await relay.putKeyPackage(bytes)
        let answer = Components.Schemas.KeyPackageStored(targetDeviceId: stored.target.hex, keyId: stored.keyID.hex)
        return outcome == .stored ? .created(.init(body: .json(answer))) : .ok(.init(body: .json(answer)))
    }

    func listKeyPackages(_ input: Operations.ListKeyPackages.Input) async throws -> Operations.ListKeyPackages.Output {
        .ok(.init(body: .json(.init(packages: try await relay.keyPackages().map { .init(package: Base64.encode($0.bytes)) }))))
    }

    func listKeyHolders(_ input: Operations.ListKeyHolders.Input) async throws -> Operations.ListKeyHolders.Output {
        .ok(.init(body: .json(.init(devices: try await relay.keyHolders().map { .init(deviceId: $0.0.hex, keyIds: $0.1.map(\.hex)) }))))
    }
}
