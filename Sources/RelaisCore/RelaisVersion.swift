/// The release of Relais, one source for both executables (`relais --version`,
/// `relais-server --version`) and for the stores, which record the release that last migrated
/// them so that an older relay names the release it needs (CHANGELOG.md).
public enum RelaisVersion {
    public static let current = "0.5.0"
    /// The wire protocol this release speaks (Protocol/SPEC.md).
    public static let protocolVersion = 1

    /// What `--version` prints.
    public static var description: String { "\(current) (protocol v\(protocolVersion))" }

    /// `major.minor.patch` as one integer (0.5.0 → 500, 1.2.3 → 10203): what SQLite's
    /// `user_version` holds. Nil for another form.
    public static func number(_ version: String) -> Int? {
        let parts = version.split(separator: ".").map { Int($0) }
        guard parts.count == 3, let major = parts[0], let minor = parts[1], let patch = parts[2],
              (0..<100).contains(minor), (0..<100).contains(patch), major >= 0 else { return nil }
        return major * 10_000 + minor * 100 + patch
    }

    /// The inverse of `number`.
    public static func version(number: Int) -> String {
        "\(number / 10_000).\(number / 100 % 100).\(number % 100)"
    }
}
