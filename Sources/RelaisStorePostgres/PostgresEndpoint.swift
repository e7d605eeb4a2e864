public import Foundation
import PostgresNIO
import NIOSSL

/// Where the PostgreSQL store connects, from a libpq-style URL:
///
/// - `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` over TCP; the password may also come from
///   the `PGPASSWORD` environment variable (better: a URL on a command line is visible to every
///   user of the machine);
/// - `postgres://USER@/DATABASE?host=/run/postgresql` over the Unix socket in that folder;
/// - `?sslmode=disable|prefer|require`: TLS. The default is `require`, except on a Unix socket or
///   a loopback address, where it is `disable`;
/// - `?schema=NAME`: the store's tables live in that schema (created if missing) instead of the
///   user's default, so several relays (or tests) can share one database.
public struct PostgresEndpoint: Sendable, Equatable {
    public enum TLSMode: String, Sendable { case disable, prefer, require }

    public var host: String?
    public var socketDirectory: String?
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    public var schema: String?

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? "") else {
            throw Invalid(description: "the PostgreSQL URL must start with postgres:// (postgres://USER@HOST:PORT/DATABASE)")
        }
        let query = Dictionary((url.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        if let unknown = query.keys.first(where: { !["host", "sslmode", "schema"].contains($0) }) {
            throw Invalid(description: "unknown PostgreSQL URL parameter \(unknown) (known: host, sslmode, schema)")
        }
        guard let user = url.user, !user.isEmpty else { throw Invalid(description: "the PostgreSQL URL must name a user") }
        let database = String(url.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else { throw Invalid(description: "the PostgreSQL URL must name one database") }
        if let socket = query["host"], !socket.isEmpty {
            guard socket.hasPrefix("/") else { throw Invalid(description: "host= must be the absolute path of a socket folder") }
            socketDirectory = socket
            host = nil
        } else {
            guard let h = url.host, !h.isEmpty else { throw Invalid(description: "the PostgreSQL URL must name a host, or host=/socket/folder") }
            host = h
            socketDirectory = nil
        }
        port = url.port ?? 5432
        guard (1...65535).contains(port) else { throw Invalid(description: "the PostgreSQL port must be 1 to 65535") }
        username = user
        password = url.password ?? environment["PGPASSWORD"]
        self.database = database
        if let schema = query["schema"] {
            // Used as an identifier in SQL (`CREATE SCHEMA`, search_path): letters, digits and _ only.
            guard !schema.isEmpty, schema.count <= 63, schema.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }),
                  !(schema.first!.isNumber) else {
                throw Invalid(description: "schema= must be 1 to 63 ASCII letters, digits or _, not starting with a digit")
            }
            self.schema = schema.lowercased()
        } else {
            schema = nil
        }
        let local = socketDirectory != nil || ["127.0.0.1", "::1", "localhost"].contains(host ?? "")
        if let mode = query["sslmode"] {
            guard let m = TLSMode(rawValue: mode) else { throw Invalid(description: "sslmode must be disable, prefer or require") }
            tls = m
        } else {
            tls = local ? .disable : .require
        }
    }

    /// The client configuration: `synchronous_commit = on` for every connection, so a COMMIT has
    /// reached the server's disk before it returns, whatever the server's default; the schema
    /// first in `search_path`; `statement_timeout` and `lock_timeout` at `timeout`, so the server
    /// itself ends a statement stuck on a lock (postgres-nio does not cancel a query whose task is
    /// cancelled, so the store's own deadline alone would leave the request waiting).
    func clientConfiguration(maximumConnections: Int, timeout: Duration) -> PostgresClient.Configuration {
        var config: PostgresClient.Configuration
        if let socketDirectory {
            config = .init(unixSocketPath: socketDirectory + "/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            let tlsConfig: PostgresClient.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
            config = .init(host: host!, port: port, username: username, password: password, database: database, tls: tlsConfig)
        }
        config.options.maximumConnections = maximumConnections
        let milliseconds = String(max(1, timeout.components.seconds * 1_000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        config.options.additionalStartupParameters = [("synchronous_commit", "on"), ("application_name", "relais-server"),
                                                      ("statement_timeout", milliseconds), ("lock_timeout", milliseconds)]
        if let schema { config.options.additionalStartupParameters.append(("search_path", schema)) }
        return config
    }
}
