public import RelaisCore
public import RelaisStore

/// The authenticated device making the current request, set by `AuthenticationMiddleware` for
/// the OpenAPI handlers (which do not see Hummingbird's request context).
public struct Caller: Sendable {
    public let device: StoredDevice
    /// SHA-256 of the request body as received, computed once while checking the signature.
    let bodyDigest: [UInt8]
    let bodyLength: Int
    /// Authenticated by a session MAC rather than by the device's signature.
    let viaSession: Bool
    public var id: DeviceID { device.id }
    public var role: DeviceRole { device.role }
    public var organisationID: OrganisationID? { device.organisationID }

    init(device: StoredDevice, bodyDigest: [UInt8], bodyLength: Int, viaSession: Bool) {
        self.device = device
        self.bodyDigest = bodyDigest
        self.bodyLength = bodyLength
        self.viaSession = viaSession
    }

    @TaskLocal static var current: Caller?

    /// The caller, required to be active and to have one of `roles`.
    static func require(_ roles: Set<DeviceRole>, to action: String) throws -> Caller {
        guard let caller = current else { throw RelayError.unauthorized("unauthenticated", "this request must be signed by an enrolled device") }
        guard caller.device.status == .active else {
            throw RelayError.forbidden("pending", "this device is not active yet: its enroller must approve it (relais admin approve)")
        }
        guard roles.contains(caller.role) else {
            throw RelayError.forbidden("role", "a device with role \(caller.role.rawValue) may not \(action)")
        }
        return caller
    }

    static let receivers: Set<DeviceRole> = [.admin, .member]
    static let everyone = Set(DeviceRole.allCases)
    static let directoryReaders: Set<DeviceRole> = [.operator, .admin, .member]
}
