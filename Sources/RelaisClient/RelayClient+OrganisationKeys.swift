import OpenAPIRuntime
import RelaisAPI
public import RelaisCore

/// The organisation key routes (SPEC.md, "Organisation key"). Everything the relay answers here
/// is its word: packages are verified and opened by `LocalDevice`, the holders list is a hint.
extension RelayClient {
    /// Gives a package to its target; returns whether the relay stored it (false: it had the same bytes).
    @discardableResult
    public func putKeyPackage(_ package: OrganisationKeyPackage) async throws -> Bool {
        switch try await client.putKeyPackage(body: .json(.init(package: Base64.encode(package.encoded)))) {
        case .created: return true
        case .ok: return false
        case let other: throw Self.failure(other)
        }
    }

    /// The packages the relay holds for this device, as bytes (not verified).
    public func keyPackages() async throws -> [[UInt8]] {
        switch try await client.listKeyPackages() {
        case let .ok(r):
            return try r.body.json.packages.map {
                guard let bytes = Base64.decode($0.package) else { throw ClientError.verification(Message.relayMalformed(.keyPackage).text) }
                return bytes
            }
        case let other: throw Self.failure(other)
        }
    }

    /// This device's organisation's active admins and members, each with the key ids the relay
    /// says it was given (empty: it lacks the key). A hint, not trusted.
    public func keyHolders() async throws -> [(device: DeviceID, keyIDs: [OrganisationKeyID])] {
        switch try await client.listKeyHolders() {
        case let .ok(r):
            return try r.body.json.devices.map { d in
                guard let id = DeviceID(hex: d.deviceId) else { throw ClientError.verification(Message.relayMalformed(.keyHolderDevice).text) }
                return (id, try d.keyIds.map {
                    guard let k = OrganisationKeyID(hex: $0) else { throw ClientError.verification(Message.relayMalformed(.keyHolderKey).text) }
                    return k
                })
            }
        case let other: throw Self.failure(other)
        }
    }
}
