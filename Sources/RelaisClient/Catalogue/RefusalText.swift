/// How a relay refusal reads (issue 16): the relay's JSON keeps its stable English codes, the
/// client shows them in the user's language. Each language's table of codes lives in its file
/// (`RefusalText+fr.swift`, `RefusalText+en.swift`); a code neither table knows (a newer relay's)
/// shows the relay's own message.
enum RefusalText {
    static func fr(status: Int, code: String, message: String) -> String {
        "le relais a refusé (\(status) \(code)) : \(explanationFr(status: status, code: code) ?? message)"
    }

    /// A rule's refusal keeps the relay's French words after its reading: they name the rule's details (a département, a date).
    static func en(status: Int, code: String, message: String) -> String {
        "the relay refused (\(status) \(code)): \(explanationEn(status: status, code: code).map { "\($0) («\(message)»)" } ?? message)"
    }

}
