import Foundation
import RelaisCore
import RelaisCrypto

/// The directory is in the log (SPEC.md, "Directory records", "In the log"): every directory record
/// this device relies on (organisation record, device record, revocation, prekey) must be carried,
/// byte for byte, by an audit entry whose inclusion proof reaches the checkpoint this device has
/// verified (`DirectoryInclusion.verify`, the rule the monitor uses too). A record that is not in the
/// log stops the command (exit 65) before anything is sealed or sent. Records found are kept in the
/// keystore with their index, so a refresh does not ask again for unchanged records.
extension LocalDevice {
    /// Requires `signed` to be in the log at `index` (the relay's word, checked here) as `subject`.
    func requireLogged(_ signed: SignedObject, _ subject: DirectoryInclusion.Subject, index: UInt64?) async throws {
        let key = Hex.encode(SHA256.hash(signed.bytes + signed.signature))
        if vault.loggedRecords?[key] != nil { return }
        do {
            guard let index else { throw DirectoryInclusionError.noIndex(subject.description) }
            var checkpoint = keptCheckpoint
            if checkpoint.map({ index >= $0.size }) ?? true {
                // A record newer than the kept checkpoint: the log is checked again, then proved in it.
                try await checkLog()
                checkpoint = keptCheckpoint
            }
            guard let checkpoint else { throw LocalError.verification(Message.directoryNotLogged(subject, why: "no verified checkpoint").text) }
            let (entry, proof) = try await client.logEntry(index: index, size: checkpoint.size)
            try DirectoryInclusion.verify(signed, subject: subject, entry: entry, index: index, proof: proof, checkpoint: checkpoint)
            var logged = vault.loggedRecords ?? [:]
            logged[key] = index
            vault.loggedRecords = logged
            try save()
        } catch let error as DirectoryInclusionError {
            throw LocalError.verification(Message.directoryNotLogged(subject, why: error.description).text)
        } catch let error as ClientError where error.status == 403 || error.status == 400 || error.status == nil {
            // The relay refusing the entry it named itself (beyond its log, not a directory entry) is a lie too.
            throw LocalError.verification(Message.directoryNotLogged(subject, why: "\(error)").text)
        }
    }

    /// The checkpoint this device last verified (`log-state.json`, verified again with the pinned
    /// key), nil before its first contact.
    var keptCheckpoint: Checkpoint? {
        guard let data = FileManager.default.contents(atPath: Self.logStatePath(directory)),
              let state = try? JSONDecoder().decode(LogState.self, from: data),
              let verifier = logVerifierKey.flatMap({ try? CheckpointVerifierKey(parsing: $0) }) else { return nil }
        return try? Checkpoint.verify(note: state.checkpoint, verifier: verifier)
    }
}
