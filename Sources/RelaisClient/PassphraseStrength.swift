import Foundation

/// A modest estimate of a passphrase's strength, in bits, and the rule a new passphrase must meet
/// (SPEC.md, "Keystore (client)"): at least `minimumLength` characters and `minimumBits` bits.
///
/// The estimate is a lower bound in the spirit of zxcvbn, without its dictionaries: the text is cut
/// into runs of letters, of digits, of other characters; a character counts the bits of its class
/// (26 letters, 10 digits, 33 symbols, 1 for a separator such as a space), except that a character
/// repeating or continuing the previous one (`aaa`, `abc`, `321`) counts 1 bit; a run of letters
/// counts at most 16 bits per 8 letters (attackers try dictionaries, not letters), a common word or
/// password inside it counts 6 bits, and a capital adds 1 bit. A passphrase that is a common
/// password once "leet" spellings and separators are undone (`P@ssw0rd!`, `mot de passe`) is weak.
public enum PassphraseStrength {
    public static let minimumLength = 12
    public static let minimumBits = 50.0

    /// Passwords and words found first in every guessing list, in French and English.
    static let common: [String] = [
        "motdepasse", "password", "passwort", "azerty", "qwerty", "qwertz", "azertyuiop", "soleil", "bonjour", "bonsoir", "salut",
        "coucou", "loulou", "doudou", "chouchou", "chocolat", "amour", "jetaime", "iloveyou", "marseille", "paris", "france",
        "relais", "admin", "administrateur", "welcome", "bienvenue", "football", "dragon", "monkey", "princess", "princesse",
        "sunshine", "letmein", "master", "secret", "secrets", "nicolas", "camille", "julien", "thomas", "marie", "sophie",
        "hello", "summer", "winter", "hiver", "printemps", "automne", "janvier", "juillet", "septembre", "decembre",
        "passe", "pass", "test", "toto", "titi", "tata", "abcdef", "maison", "famille", "liberte", "association", "orientation",
        "changeme", "default", "utilisateur", "user", "login", "root", "superman", "batman", "pokemon", "starwars",
    ]

    public static func estimateBits(_ passphrase: String) -> Double {
        var bits = 0.0
        var run: [Character] = []
        var runClass = CharacterClass.separator
        func flush() {
            guard !run.isEmpty else { return }
            bits += bitsOfRun(run, runClass)
            run = []
        }
        for c in passphrase {
            let k = CharacterClass(c)
            if k != runClass || k == .separator { flush() }
            runClass = k
            run.append(c)
        }
        flush()
        return bits
    }

    /// Why `passphrase` is too weak for a new keystore, or nil when it is strong enough.
    public static func weakness(_ passphrase: String) -> String? {
        let length = passphrase.count
        if length < minimumLength {
            return Message.passphraseTooShort(length: length, minimum: minimumLength).text
        }
        if isCommonPassword(passphrase) {
            return Message.passphraseCommon.text
        }
        let bits = estimateBits(passphrase)
        if bits < minimumBits {
            return Message.passphraseGuessable(bits: Int(bits), minimum: Int(minimumBits)).text
        }
        return nil
    }

    static func isCommonPassword(_ passphrase: String) -> Bool {
        let leet: [Character: Character] = ["0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"]
        let letters = String(passphrase.lowercased().folding(options: .diacriticInsensitive, locale: nil).compactMap { c -> Character? in
            if let l = leet[c] { return l }
            return c.isLetter ? c : nil
        })
        // A common word, with at most a few characters around it ("Azerty2024!", "M0tDeP@sse").
        return common.contains { $0.count >= 4 && letters.contains($0) && letters.count - $0.count <= 4 }
    }

    enum CharacterClass: Equatable {
        case letter, digit, symbol, separator
        init(_ c: Character) {
            if c.isLetter { self = .letter } else if c.isNumber { self = .digit } else if c == " " || c == "-" || c == "_" || c == "." {
                self = .separator
            } else { self = .symbol }
        }
        var bitsPerCharacter: Double {
            switch self {
            case .letter: log2(26)
            case .digit: log2(10)
            case .symbol: log2(33)
            case .separator: 1
            }
        }
    }

    static func bitsOfRun(_ run: [Character], _ k: CharacterClass) -> Double {
        var bits = 0.0
        var previous: UInt32?
        for c in run {
            let value = c.lowercased().unicodeScalars.first.map(\.value)
            if let p = previous, let v = value, v == p || v == p + 1 || v + 1 == p {
                bits += 1  // repeats and sequences: aaa, abc, 987
            } else {
                bits += k.bitsPerCharacter
            }
            previous = value
        }
        guard k == .letter else { return bits }
        let word = String(run).lowercased().folding(options: .diacriticInsensitive, locale: nil)
        if let hit = common.filter({ $0.count >= 4 && word.contains($0) || $0 == word }).max(by: { $0.count < $1.count }) {
            bits = 6 + Double(word.count - hit.count) * k.bitsPerCharacter
        }
        let cap = 16 * Double((run.count + 7) / 8)
        return min(bits, cap) + (run.contains { $0.isUppercase } ? 1 : 0)
    }
}
