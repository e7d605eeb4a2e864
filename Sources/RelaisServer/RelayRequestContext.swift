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

    /// The client, for rate limiting: see `clientKey(address:)`. Behind a proxy named in
    /// `trustedProxies`, the address that proxy appended last to `X-Forwarded-For` (the one it saw);
    /// from anyone else the header is ignored, since a client can write anything in it.
    func clientKey(forwardedFor: [String], trustedProxies: Set<String>) -> String {
        guard let peer = remoteAddress else { return "unknown" }
        if case .unixDomainSocket = peer { return "local" }
        guard let ip = peer.ipAddress else { return "unknown" }
        if trustedProxies.contains(ip),
           let last = forwardedFor.joined(separator: ",").split(separator: ",").last,
           let client = Self.clientKey(address: String(last.filter { $0 != " " && $0 != "\t" })) {
            return client
        }
        return Self.clientKey(address: ip) ?? ip
    }

    /// An IPv4 address as it is, an IPv6 address as its /64 prefix (one host usually holds a whole
    /// /64, so counting its addresses one by one would count nothing); nil when `text` is neither.
    static func clientKey(address text: String) -> String? {
        var bytes = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, text, &bytes) == 1 { return text }
        guard inet_pton(AF_INET6, text, &bytes) == 1 else { return nil }
        // An IPv4 client of a dual-stack socket (::ffff:a.b.c.d): its whole address.
        if bytes.prefix(10).allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff { return text }
        return bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: ":") + "::/64"
    }
}
