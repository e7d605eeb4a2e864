import Foundation
import Testing

/// `relais-server`'s configuration through the real binary: a flag beats `RELAIS_*`, which beats
/// the file, which beats the default; `config check` masks secrets and refuses an unknown key or a
/// bad value naming where it came from, creating nothing (issue 19).
@Suite("relais-server configuration", .serialized)
struct ServerConfigurationTests {
    /// Runs `relais-server ARGUMENTS` with only `environment` (plus PATH): status, stdout, stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let r = try runProcess(relaisServerBinary, arguments, environment: environment.merging(["PATH": "/usr/bin:/bin"]) { mine, _ in mine })
        return (r.status, r.out, r.err)
    }

    static func temporary(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("relais-config-\(name)-\(UUID().uuidString)").path
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The line of `key` in `config check`'s output.
    static func line(_ key: String, in output: String) -> String {
        output.split(separator: "\n").first { $0.hasPrefix(key + " = ") }.map(String.init) ?? "(no line for \(key))"
    }

    @Test func flagBeatsEnvironmentBeatsFileBeatsDefault() throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let file = Self.temporary("file") + ".json"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Self.write(#"{"rate": 10, "idle-timeout": 11, "request-timeout": 12, "trusted-proxy": ["10.0.0.1"], "data": "/srv/relais-from-file"}"#, to: file)
        let (status, output, errors) = try Self.run(["config", "check", "--config", file, "--rate", "30"],
                                                    environment: ["RELAIS_RATE": "20", "RELAIS_IDLE_TIMEOUT": "21"])
        #expect(status == 0, "\(errors)")
        #expect(Self.line("rate", in: output) == "rate = 30.0  (flag)")
        #expect(Self.line("idle-timeout", in: output) == "idle-timeout = 21.0  (environment)")
        #expect(Self.line("request-timeout", in: output) == "request-timeout = 12.0  (file)")
        #expect(Self.line("trusted-proxy", in: output) == "trusted-proxy = 10.0.0.1  (file)")
        #expect(Self.line("data", in: output) == "data = /srv/relais-from-file  (file)")
        #expect(Self.line("max-connections", in: output) == "max-connections = 1024  (default)")
        #expect(output.contains("configuration file: \(file)"))
        // RELAIS_CONFIG names the file when --config does not; no source at all: /var/lib/relais,
        // never a folder in the current directory; systemd's StateDirectory= comes before it.
        let (_, viaVariable, _) = try Self.run(["config", "check"], environment: ["RELAIS_CONFIG": file])
        #expect(Self.line("rate", in: viaVariable) == "rate = 10.0  (file)")
        let (_, bare, _) = try Self.run(["config", "check"])
        #expect(Self.line("data", in: bare) == "data = /var/lib/relais  (default)")
        let (_, systemd, _) = try Self.run(["config", "check"], environment: ["STATE_DIRECTORY": "/var/lib/private/relais"])
        #expect(Self.line("data", in: systemd) == "data = /var/lib/private/relais  (environment)")
    }

    @Test func secretsAreMaskedAndNeverOnTheCommandLine() throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let folder = Self.temporary("secrets")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let password = "s3cret-Pw-\(UUID().uuidString)"
        try Self.write(password + "\n", to: folder + "/postgres-password")
        // A systemd credential (LoadCredential=postgres-password:...), read from $CREDENTIALS_DIRECTORY.
        let (status, output, errors) = try Self.run(["config", "check", "--postgres", "postgres://relais@db.internal:5432/relais"],
                                                    environment: ["CREDENTIALS_DIRECTORY": folder])
        #expect(status == 0, "\(errors)")
        #expect(Self.line("postgres-password-file", in: output) == "postgres-password-file = \(folder)/postgres-password (password ****)  (credential)")
        // A password in a URL given by the environment or the file is shown masked.
        let (_, fromVariable, _) = try Self.run(["config", "check"], environment: ["RELAIS_POSTGRES": "postgres://relais:\(password)@db.internal/relais"])
        #expect(Self.line("postgres", in: fromVariable) == "postgres = postgres://relais:****@db.internal/relais  (environment)")
        #expect(!(output + fromVariable).contains(password))
        // On a command line, refused.
        let (refused, _, why) = try Self.run(["config", "check", "--postgres", "postgres://relais:\(password)@db.internal/relais"])
        #expect(refused == 64)
        #expect(why.contains("--postgres must not hold the password"), "\(why)")
        // A password file that cannot be read is named.
        let (missing, _, whyMissing) = try Self.run(["config", "check", "--postgres", "postgres://relais@db/relais",
                                                     "--postgres-password-file", folder + "/absent"])
        #expect(missing == 64)
        #expect(whyMissing.contains("--postgres-password-file: cannot read \(folder)/absent"), "\(whyMissing)")
    }

    @Test func unknownKeysAndBadValuesAreRefusedNamingTheirSource() throws {
        try #require(FileManager.default.isExecutableFile(atPath: relaisServerBinary), "build relais-server first")
        let file = Self.temporary("bad") + ".json", data = Self.temporary("data")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let cases: [(String, [String], [String: String], String)] = [
            (#"{"postgress": "postgres://relais@db/relais"}"#, [], [:], "unknown key \"postgress\" in \(file)"),
            (#"{"rate": "fast"}"#, [], [:], "rate in \(file) must be a positive number of requests per second, not fast"),
            (#"{"rate": true}"#, [], [:], "rate in \(file) must be a string or a number"),
            (#"{"trusted-proxy": "10.0.0.1"}"#, [], [:], "trusted-proxy in \(file) must be a list of addresses"),
            (#"["rate", 1]"#, [], [:], "\(file) is not a JSON object"),
            ("{}", [], ["RELAIS_MAX_CONNECTIONS": "0"], "RELAIS_MAX_CONNECTIONS must be 1 to 1000000, not 0"),
            ("{}", [], ["RELAIS_LOG_FORMAT": "xml"], "RELAIS_LOG_FORMAT must be text or json, not xml"),
            ("{}", ["--listen", "8443"], [:], "--listen must be HOST:PORT"),
            ("{}", ["--tls-cert", "/etc/cert.pem"], [:], "--tls-cert and --tls-key go together"),
        ]
        for (text, flags, environment, expected) in cases {
            try Self.write(text, to: file)
            for command in [["config", "check"], ["--data", data]] {
                let (status, _, errors) = try Self.run(command + ["--config", file] + flags, environment: environment)
                #expect(status == 64, "\(text) \(flags) \(environment)")
                #expect(errors.contains(expected), "\(errors)")
            }
        }
        let (status, _, errors) = try Self.run(["config", "check", "--config", file + ".absent"])
        #expect(status == 64)
        #expect(errors.contains("cannot read the configuration file \(file).absent"))
        #expect(!FileManager.default.fileExists(atPath: data), "a refused start must create nothing")
    }
}
