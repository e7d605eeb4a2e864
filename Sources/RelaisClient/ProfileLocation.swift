import Foundation

/// Where a profile lives (issue 16, "The conventions of a Unix tool", after the XDG Base
/// Directory specification): the keystore and settings under `$XDG_CONFIG_HOME/relais`
/// (`~/.config/relais` when unset), the opened referrals under `$XDG_DATA_HOME/relais`
/// (`~/.local/share/relais`). `--profile DIR` and `$RELAIS_HOME` keep everything in one directory,
/// as before. A profile already in `~/.config/relais` while `$XDG_CONFIG_HOME` points elsewhere
/// (the old place) is still the one used, as long as none exists in the new place.
public struct ProfileLocation: Sendable, Equatable {
    /// The keystore, `profile.json` and the audit state.
    public let config: String
    /// The opened referrals (`referrals`, encrypted).
    public let data: String

    public init(config: String, data: String) {
        self.config = config
        self.data = data
    }

    /// From this process's environment and home directory: $HOME as the shell has it (Foundation's
    /// `homeDirectoryForCurrentUser` reads the password database on Linux), else the account's.
    public static func resolve(profile: String?) -> ProfileLocation {
        let environment = ProcessInfo.processInfo.environment
        let home = environment["HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? FileManager.default.homeDirectoryForCurrentUser.path
        return resolve(profile: profile, environment: environment, home: home)
    }

    public static func resolve(profile: String?, environment: [String: String], home: String) -> ProfileLocation {
        if let profile { return ProfileLocation(config: profile, data: profile) }
        if let one = environment["RELAIS_HOME"], !one.isEmpty { return ProfileLocation(config: one, data: one) }
        // The specification: a relative path in these variables is invalid and is ignored.
        func base(_ variable: String, _ fallback: String) -> String {
            if let value = environment[variable], value.hasPrefix("/") { return value }
            return home + "/" + fallback
        }
        let config = base("XDG_CONFIG_HOME", ".config") + "/relais"
        let data = base("XDG_DATA_HOME", ".local/share") + "/relais"
        let old = home + "/.config/relais"
        let fm = FileManager.default
        if config != old, !fm.fileExists(atPath: LocalDevice.keystorePath(config)), fm.fileExists(atPath: LocalDevice.keystorePath(old)) {
            return ProfileLocation(config: old, data: data)
        }
        return ProfileLocation(config: config, data: data)
    }
}
