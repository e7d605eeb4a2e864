public import RelaisCrypto

/// Checkpoints as signed notes: the relay signs its checkpoints with its log key (Ed25519);
/// auditors verify them with the log's verifier key before reading anything in them.
extension Checkpoint {
    /// The complete signed note: `body`, a blank line, and the signature line by `key` under the
    /// key name `name` (Relais uses the origin as the key name).
    ///
    /// - Throws: `AuditLogError.invalidName` when `name` is empty or contains a space, '+' or a
    ///   control character.
    public func signedNote(name: String, key: Ed25519PrivateKey) throws(AuditLogError) -> String {
        try CheckpointNote.sign(text: body, name: name, key: key)
    }

    /// Verifies a checkpoint note signed by the Ed25519 key `publicKey` under the key name `name`,
    /// and returns the checkpoint. The origin must equal `name`.
    ///
    /// - Throws: as `verify(note:verifier:origin:)`, and `AuditLogError.invalidName` for an
    ///   invalid key name.
    public static func verify(note: String, name: String, publicKey: Ed25519PublicKey) throws(AuditLogError) -> Checkpoint {
        try verify(note: note, verifier: CheckpointVerifierKey(name: name, publicKey: publicKey))
    }

    /// Verifies a checkpoint note and returns the checkpoint. The text is parsed only after its
    /// signature has verified.
    ///
    /// - Parameters:
    ///   - origin: the log expected; `nil` means the verifier's key name.
    /// - Throws: `AuditLogError.malformedNote` when the note's structure is wrong (see
    ///   `CheckpointNote.init(parsing:)`) or the key signed it more than once;
    ///   `.noSignatureFromKey` when the verifier's key did not sign it;
    ///   `.badSignature` when its signature does not verify;
    ///   `.malformedCheckpoint` when the signed text is not a checkpoint;
    ///   `.originMismatch` when the checkpoint is for another log.
    public static func verify(note: String, verifier: CheckpointVerifierKey, origin: String? = nil) throws(AuditLogError) -> Checkpoint {
        let text = try CheckpointNote(parsing: note).verifiedText(by: verifier)
        let checkpoint = try Checkpoint(parsingBody: text)
        let expected = origin ?? verifier.name
        // Byte comparison: String's == would equate different Unicode normalisations.
        guard checkpoint.origin.utf8.elementsEqual(expected.utf8) else {
            throw .originMismatch(expected: expected, got: checkpoint.origin)
        }
        return checkpoint
    }

    /// `verify(note:verifier:origin:)` for a note received as bytes.
    ///
    /// - Throws: `AuditLogError.malformedNote` when the bytes are not UTF-8, and as the `String`
    ///   form otherwise.
    public static func verify(note: [UInt8], verifier: CheckpointVerifierKey, origin: String? = nil) throws(AuditLogError) -> Checkpoint {
        guard let text = String(validating: note, as: UTF8.self) else { throw .malformedNote("not valid UTF-8") }
        return try verify(note: text, verifier: verifier, origin: origin)
    }
}
