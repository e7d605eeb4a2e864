import Foundation
import RelaisCore
import RelaisCrypto

/// The opened referrals of a profile, in their own encrypted file in the profile's data directory
/// (`$XDG_DATA_HOME/relais/referrals`; SPEC.md, "Keystore (client)"):
///
///     magic "RLSR" ‖ version u8 = 1 ‖ nonce [24] ‖
///     XChaCha20-Poly1305(key = the keystore's referrals key, nonce, JSON array of the opened referrals,
///                        associated data = every byte before the ciphertext)
///
/// The key is 32 random bytes kept in the keystore (`VaultContents.referralsKey`), so a passphrase
/// change does not touch this file. Written like the keystore: fresh nonce, temporary file 0600,
/// synced, renamed. A profile written before keeps its opened referrals in the keystore until the
/// next write moves them here.
enum ReferralStore {
    static let magic = Array("RLSR".utf8)
    static let version: UInt8 = 1
    static let headerLength = 4 + 1 + 24

    static func path(_ dataDirectory: String) -> String { dataDirectory + "/referrals" }

    static func seal(_ opened: [VaultContents.OpenedReferral], key: SecretBytes, rng: some RandomSource) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var plaintext = Array(try encoder.encode(opened))
        defer { wipe(&plaintext) }
        let header = magic + [version] + rng.bytes(XChaCha20Poly1305.nonceByteCount)
        return header + (try XChaCha20Poly1305.seal(plaintext, key: key, nonce: Array(header[5...]), associatedData: header))
    }

    static func open(_ file: [UInt8], key: SecretBytes) throws -> [VaultContents.OpenedReferral] {
        guard file.count >= headerLength + XChaCha20Poly1305.tagByteCount, Array(file[0..<4]) == magic, file[4] == version else {
            throw LocalError.verification(Message.damaged(.referralsFormat).text)
        }
        let header = Array(file[0..<headerLength])
        guard var plaintext = try? XChaCha20Poly1305.open(Array(file[headerLength...]), key: key, nonce: Array(header[5...]), associatedData: header) else {
            throw LocalError.verification(Message.damaged(.referralsKey).text)
        }
        defer { wipe(&plaintext) }
        return try JSONDecoder().decode([VaultContents.OpenedReferral].self, from: Data(plaintext))
    }
}

extension LocalDevice {
    /// The referrals key, made on first use (hex in the keystore).
    func referralsKey() -> SecretBytes {
        if let hex = vault.referralsKey, let bytes = Hex.decode(hex), bytes.count == 32 { return SecretBytes(bytes) }
        let bytes = rng.bytes(32)
        vault.referralsKey = Hex.encode(bytes)
        return SecretBytes(bytes)
    }

    /// Reads the referrals file into the vault, beside any an older profile kept in the keystore
    /// (the file's copy wins).
    func loadReferrals() throws {
        guard let file = FileManager.default.contents(atPath: ReferralStore.path(dataDirectory)) else { return }
        // No key yet: a first write was interrupted before the keystore took its key; the
        // keystore still holds every opened referral, and the next write replaces the file.
        guard vault.referralsKey != nil else { return }
        let stored = try ReferralStore.open(Array(file), key: referralsKey())
        let inFile = Set(stored.map(\.envelopeId))
        vault.opened = stored + vault.opened.filter { !inFile.contains($0.envelopeId) }
    }

    /// Writes the referrals file (creating the data directory, 0700).
    func saveReferrals() throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: dataDirectory) {
            try fm.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        try Keystore.writeAtomically(try ReferralStore.seal(vault.opened, key: referralsKey(), rng: AnyRandom(base: rng)),
                                     to: ReferralStore.path(dataDirectory))
    }
}
