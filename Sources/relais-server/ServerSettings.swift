import Foundation
import Logging
import RelaisServer
import RelaisStorePostgres

/// The relay's configuration from its three sources, in this order of precedence: a flag
/// (`--rate 20`), then an environment variable (`RELAIS_RATE=20`), then the configuration file
/// (`--config FILE` or `RELAIS_CONFIG`, a JSON object: `{"rate": 20}`), then the default.
/// A key of the file that is not one of `ServerSettings.keys` is refused, as is any value out of
/// range, naming where it came from; secrets (the PostgreSQL password, the TLS key) are read from
/// files, systemd credentials (`$CREDENTIALS_DIRECTORY`) or the environment, never a command line.
struct ServerSettings {
    /// Where a value came from (`config check` prints it beside the value).
    enum Source: Equatable {
        case flag, environment, file(String), credential(String), fallback

        func label(_ key: String) -> String {
            switch self {
            case .flag: "--\(key)"
            case .environment: ServerSettings.environmentName(key)
            case .file(let path): "\(key) in \(path)"
            case .credential(let path): path
            case .fallback: key
            }
        }

        var name: String {
            switch self {
            case .flag: "flag"
            case .environment: "environment"
            case .file: "file"
            case .credential: "credential"
            case .fallback: "default"
            }
        }
    }

    /// A refused configuration: said on stderr, exit 64, nothing created.
    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    /// The keys of the file, the names of the flags (`--KEY`) and of the variables (`RELAIS_KEY`).
    static let keys = ["data", "postgres", "postgres-password-file", "listen", "tls-cert", "tls-key", "rate", "idle-timeout",
                       "request-timeout", "max-connections", "trusted-proxy", "witness", "purge-interval", "event-loops", "metrics",
                       "log-level", "log-format", "min-free-space"]
    /// Where the relay keeps its data when no source names a folder (and systemd's `StateDirectory=` does not).
    static let defaultDataDirectory = "/var/lib/relais"

    static func environmentName(_ key: String) -> String {
        "RELAIS_" + key.uppercased().replacingOccurrences(of: "-", with: "_")
    }

    var data = ServerSettings.defaultDataDirectory
    var postgres: String?
    var postgresPassword: String?
    var postgresPasswordFile: String?
    var listen = "127.0.0.1:8443"
    var tlsCert: String?
    var tlsKey: String?
    var rate: Double = 50
    var idleTimeout: Double = 30
    var requestTimeout: Double = 60
    var maxConnections = 1024
    var trustedProxy: [String] = []
    /// Witnesses asked for cosignatures, `URL=KEY` each (SPEC.md, "Witnesses").
    var witness: [WitnessEndpoint] = []
    /// The keys whose value is a list: repeated flags, a comma-separated variable, a JSON list.
    static let listKeys: Set = ["trusted-proxy", "witness"]
    var purgeInterval: UInt64 = 60
    var eventLoops: Int?
    var metrics: String?
    var logLevel = Logger.Level.info
    var logFormat = LogFormat.text
    var minFreeSpace: Int64 = 256 * 1024 * 1024
    /// The configuration file read, if any.
    var configFile: String?
    /// The source of each key that did not keep its default.
    var sources: [String: Source] = [:]

    /// Reads the sources: `flags` holds each flag given (a list for `trusted-proxy`).
    static func resolve(flags: [String: [String]], configFile flagFile: String?,
                        environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerSettings {
        var settings = ServerSettings()
        var raw: [String: (values: [String], source: Source)] = [:]
        let file = flagFile ?? environment["RELAIS_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if let file {
            for (key, values) in try readFile(file) { raw[key] = (values, .file(file)) }
            settings.configFile = file
        }
        for key in keys {
            if let value = environment[environmentName(key)], !value.isEmpty {
                raw[key] = (Self.listKeys.contains(key) ? value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } : [value], .environment)
            }
            if let values = flags[key], !values.isEmpty { raw[key] = (values, .flag) }
        }
        if raw["data"] == nil, let state = environment["STATE_DIRECTORY"], !state.isEmpty {
            // systemd's StateDirectory= (several folders are separated by ':'; the first is the relay's).
            raw["data"] = ([String(state.split(separator: ":").first ?? "")], .environment)
        }
        for (key, entry) in raw { try settings.set(key, entry.values, from: entry.source) }
        try settings.readSecrets(environment: environment)
        try settings.check()
        return settings
    }

    /// The file's keys and values (a list only for `trusted-proxy`); an unknown key, a nested
    /// object or a value of the wrong type is refused.
    static func readFile(_ path: String) throws -> [String: [String]] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Invalid(description: "cannot read the configuration file \(path)")
        }
        let object: [String: FileValue]
        do { object = try JSONDecoder().decode([String: FileValue].self, from: data) } catch {
            throw Invalid(description: "\(path) is not a JSON object of strings, numbers and lists of strings ({\"data\": \"/var/lib/relais\", ...})")
        }
        var values: [String: [String]] = [:]
        for (key, value) in object {
            guard keys.contains(key) else {
                throw Invalid(description: "unknown key \"\(key)\" in \(path) (known: \(keys.joined(separator: ", ")))")
            }
            switch value {
            case .list(let list) where listKeys.contains(key): values[key] = list
            case .one(let text) where !listKeys.contains(key): values[key] = [text]
            default: throw Invalid(description: "\(key) in \(path) must be \(key == "trusted-proxy" ? "a list of addresses" : listKeys.contains(key) ? "a list of witnesses, URL=KEY each" : "a string or a number")")
            }
        }
        return values
    }

    /// A value of the file: a string or number (as written), or a list of strings.
    enum FileValue: Decodable {
        case one(String), list([String]), other

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if (try? container.decode(Bool.self)) != nil { self = .other }
            else if let text = try? container.decode(String.self) { self = .one(text) }
            else if let number = try? container.decode(Double.self) {
                self = .one(number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number))
            } else if let list = try? container.decode([String].self) { self = .list(list) }
            else { self = .other }
        }
    }

    private mutating func set(_ key: String, _ values: [String], from source: Source) throws {
        let label = source.label(key)
        let value = values.last ?? ""
        func number(_ range: ClosedRange<Double>, _ what: String) throws -> Double {
            guard let n = Double(value), n.isFinite, range.contains(n) else { throw Invalid(description: "\(label) must be \(what), not \(value)") }
            return n
        }
        func integer(_ range: ClosedRange<Int>) throws -> Int {
            guard let n = Int(value), range.contains(n) else {
                throw Invalid(description: "\(label) must be \(range.lowerBound) to \(range.upperBound), not \(value)")
            }
            return n
        }
        func address() throws -> String {
            guard Self.hostPort(value) != nil else { throw Invalid(description: "\(label) must be HOST:PORT, for example 127.0.0.1:8443, not \(value)") }
            return value
        }
        switch key {
        case "data":
            guard !value.isEmpty else { throw Invalid(description: "\(label) must name a folder") }
            data = value
        case "postgres":
            do { _ = try PostgresEndpoint(url: value, environment: [:]) } catch { throw Invalid(description: "\(label): \(error)") }
            if source == .flag, URLComponents(string: value)?.password != nil {
                throw Invalid(description: "--postgres must not hold the password (a command line is visible to every user): use --postgres-password-file, a systemd credential named postgres-password, or PGPASSWORD")
            }
            postgres = value
        case "postgres-password-file": postgresPasswordFile = value
        case "listen": listen = try address()
        case "tls-cert": tlsCert = value
        case "tls-key": tlsKey = value
        case "rate": rate = try number(Double.leastNonzeroMagnitude...Double.greatestFiniteMagnitude, "a positive number of requests per second")
        case "idle-timeout": idleTimeout = try number(0.1...86_400, "0.1 to 86400 seconds")
        case "request-timeout": requestTimeout = try number(0.1...86_400, "0.1 to 86400 seconds")
        case "max-connections": maxConnections = try integer(1...1_000_000)
        case "trusted-proxy":
            if let bad = values.first(where: { !RelayConfiguration.isIPAddress($0) }) {
                throw Invalid(description: "\(label) takes IP addresses, not \(bad)")
            }
            trustedProxy = values
        case "witness":
            witness = try values.map { text in
                do { return try WitnessEndpoint(parsing: text) } catch { throw Invalid(description: "\(label): \(error)") }
            }
        case "purge-interval": purgeInterval = UInt64(try integer(0...86_400))
        case "event-loops": eventLoops = try integer(1...256)
        case "metrics": metrics = try address()
        case "log-level":
            guard let level = Logger.Level(rawValue: value) else {
                throw Invalid(description: "\(label) must be trace, debug, info, notice, warning, error or critical, not \(value)")
            }
            logLevel = level
        case "log-format":
            guard let format = LogFormat(rawValue: value) else { throw Invalid(description: "\(label) must be text or json, not \(value)") }
            logFormat = format
        case "min-free-space":
            guard let bytes = Self.byteCount(value) else {
                throw Invalid(description: "\(label) must be a number of bytes, with K, M or G (512M, 2G; 0: not checked), not \(value)")
            }
            minFreeSpace = bytes
        default: throw Invalid(description: "unknown setting \(key)")
        }
        sources[key] = source
    }

    /// The PostgreSQL password from `postgres-password-file`, else the systemd credential
    /// `postgres-password`; the TLS certificate and key from the credentials `tls-cert` and
    /// `tls-key` when no source names them. (PGPASSWORD still works: `PostgresEndpoint` reads it.)
    private mutating func readSecrets(environment: [String: String]) throws {
        let credentials = environment["CREDENTIALS_DIRECTORY"].flatMap { $0.isEmpty ? nil : $0 }
        func credential(_ name: String) -> String? {
            guard let credentials else { return nil }
            let path = credentials + "/" + name
            return FileManager.default.fileExists(atPath: path) ? path : nil
        }
        if postgresPasswordFile == nil, let path = credential("postgres-password") {
            postgresPasswordFile = path
            sources["postgres-password-file"] = .credential(path)
        }
        if let path = postgresPasswordFile {
            guard let bytes = FileManager.default.contents(atPath: path) else {
                throw Invalid(description: "\((sources["postgres-password-file"] ?? .fallback).label("postgres-password-file")): cannot read \(path)")
            }
            // The first line, as PostgreSQL's own password files and `echo secret > file` give it.
            postgresPassword = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard postgresPassword?.isEmpty == false else { throw Invalid(description: "the PostgreSQL password file \(path) is empty") }
        }
        if tlsCert == nil, tlsKey == nil, let cert = credential("tls-cert"), let key = credential("tls-key") {
            (tlsCert, tlsKey) = (cert, key)
            (sources["tls-cert"], sources["tls-key"]) = (.credential(cert), .credential(key))
        }
    }

    private func check() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else { throw Invalid(description: "--tls-cert and --tls-key go together") }
        if postgres == nil, postgresPasswordFile != nil, sources["postgres-password-file"].map({ if case .credential = $0 { false } else { true } }) ?? false {
            throw Invalid(description: "--postgres-password-file is for --postgres")
        }
    }

    /// `512M`, `2G`, `100000` (bytes; K, M and G are powers of 1024).
    static func byteCount(_ text: String) -> Int64? {
        let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30]
        let unit = text.last.flatMap { units[Character($0.uppercased())] }
        guard let n = Int64(unit == nil ? text : String(text.dropLast())), n >= 0, n <= 1 << 40 else { return nil }
        return n * (unit ?? 1)
    }

    static func hostPort(_ address: String) -> (String, Int)? {
        guard let colon = address.lastIndex(of: ":"), let port = Int(address[address.index(after: colon)...]), (0...65535).contains(port) else { return nil }
        let host = String(address[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host.isEmpty ? nil : (host, port)
    }

    /// The relay's configuration from these settings.
    var relayConfiguration: RelayConfiguration {
        var config = RelayConfiguration(dataDirectory: data)
        (config.host, config.port) = Self.hostPort(listen)!
        config.tlsCertificatePath = tlsCert
        config.tlsKeyPath = tlsKey
        config.requestsPerSecond = rate
        config.idleTimeoutSeconds = idleTimeout
        config.requestReadTimeoutSeconds = requestTimeout
        config.maxConnections = maxConnections
        config.trustedProxies = Set(trustedProxy)
        config.witnesses = witness
        config.purgeIntervalSeconds = max(1, purgeInterval)
        config.eventLoopThreads = eventLoops
        config.postgresURL = postgres
        config.postgresPassword = postgresPassword
        config.minFreeSpaceBytes = minFreeSpace
        return config
    }

    /// The effective configuration, one `key = value  (source)` a line, secrets masked: the
    /// password in a PostgreSQL URL and the password read from a file are shown as `****`; the
    /// TLS key and password files by their paths only.
    var described: String {
        func masked(_ url: String) -> String {
            guard var components = URLComponents(string: url), components.password != nil else { return url }
            components.password = "****"
            return components.string ?? "****"
        }
        let values: [(String, String)] = [
            ("data", data), ("postgres", postgres.map(masked) ?? "(none: SQLite in data)"),
            ("postgres-password-file", postgresPasswordFile.map { "\($0) (password ****)" } ?? "(none)"),
            ("listen", listen), ("tls-cert", tlsCert ?? "(none: plain HTTP)"), ("tls-key", tlsKey ?? "(none)"),
            ("rate", "\(rate)"), ("idle-timeout", "\(idleTimeout)"), ("request-timeout", "\(requestTimeout)"),
            ("max-connections", "\(maxConnections)"), ("trusted-proxy", trustedProxy.isEmpty ? "(none)" : trustedProxy.joined(separator: ",")),
            ("witness", witness.isEmpty ? "(none)" : witness.map { "\($0.url)=\($0.key)" }.joined(separator: ",")),
            ("purge-interval", "\(purgeInterval)"), ("event-loops", eventLoops.map(String.init) ?? "(default)"),
            ("metrics", metrics ?? "(off)"), ("log-level", logLevel.rawValue), ("log-format", logFormat.rawValue),
            ("min-free-space", "\(minFreeSpace)"),
        ]
        var lines = ["configuration file: \(configFile ?? "(none)")"]
        for (key, value) in values { lines.append("\(key) = \(value)  (\((sources[key] ?? .fallback).name))") }
        return lines.joined(separator: "\n")
    }
}
