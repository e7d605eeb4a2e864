#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
public import Hummingbird
public import NIOCore

/// The relay's request context: Hummingbird's basic one plus the client's address, which keys the
/// rate limits of requests not yet authenticated (issue 14, findings 4 and 5).
public struct RelayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client, for rate limiting: its IPv4 address, or the /64 prefix of its IPv6 address (one
    /// host usually holds a whole /64, so counting its addresses one by one would count nothing).
    var clientKey: String {
        guard let address = remoteAddress else { return "unknown" }
        switch address {
        case .v4:
            return address.ipAddress ?? "unknown"
        case .v6:
            guard let text = address.ipAddress else { return "unknown" }
            var bytes = [UInt8](repeating: 0, count: 16)
            guard inet_pton(AF_INET6, text, &bytes) == 1 else { return text }
            // An IPv4 client of a dual-stack socket (::ffff:a.b.c.d): its whole address.
            if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return text }
            return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
        case .unixDomainSocket:
            return "local"
        }
    }
}
