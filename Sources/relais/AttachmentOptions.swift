import ArgumentParser
import Foundation
import RelaisClient
import RelaisCore

/// `relais send --attach FILE` (SPEC.md, "Attachments"): the files go inside the sealed referral.
struct AttachmentOptions: ParsableArguments {
    @Option(name: .customLong("attach"), help: ArgumentHelp(Message.attachHelp(max: Referral.Limits.attachments,
                                                                          limitBytes: Referral.Attachment.maxTotalBytes).text))
    var files: [String] = []
    @Flag(help: ArgumentHelp(Message.allowAnyTypeHelp.text)) var allowAnyType = false

    /// The attachments, read and typed, or a refusal naming the file and the rule; nothing is read
    /// past the size limit.
    func build() throws -> [Referral.Attachment] {
        guard !allowAnyType || !files.isEmpty else { throw ValidationError(Message.allowAnyTypeAlone.text) }
        do {
            return try AttachmentFiles.read(files, allowAnyType: allowAnyType)
        } catch {
            throw attachmentFailure(error)
        }
    }

    /// `referral` (from `--file`) with these attachments after its own.
    func adding(to referral: Referral) throws -> Referral {
        var r = referral
        r.attachments += try build()
        return r
    }
}

/// `relais open ID --save DIR`: what an opened referral's attachments become. Without `--save`,
/// only their names (sanitised), types and sizes are shown; never their content.
struct SaveOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Message.saveAttachmentsHelp.text)) var save: String?

    /// Writes the attachments when `--save` was given: nil otherwise.
    func write(_ r: Referral) throws -> [AttachmentFiles.Saved]? {
        guard let save else { return nil }
        do {
            return try AttachmentFiles.save(r.attachments, into: save)
        } catch {
            throw attachmentFailure(error)
        }
    }

    /// One «Attention :» line for each attachment whose bytes are not its declared type.
    static func flags(_ r: Referral) -> [String] {
        r.attachments.filter(\.typeMismatch).map { Message.attachmentMismatch(name: AttachmentName.sanitised($0.filename), declared: $0.mediaType,
                                                                           detected: $0.detectedType?.rawValue).text }
    }

    /// The lines `open` shows: each attachment's name, type and size, and where it was saved.
    func lines(_ r: Referral, saved: [AttachmentFiles.Saved]?) -> [String] {
        Self.listing(r, savedAs: saved.map { $0.map { (save! as NSString).appendingPathComponent($0.name) } })
    }

    /// Each attachment's sanitised name, type and size (and where it was saved): what `open` and
    /// the summary before sending show, never the content.
    static func listing(_ r: Referral, savedAs: [String]? = nil) -> [String] {
        r.attachments.enumerated().map { i, a in
            Message.attachmentListed(name: AttachmentName.sanitised(a.filename), type: a.mediaType, size: a.data.count, savedAs: savedAs?[i]).text
        }
    }

    /// `open --json`: the referral as signed when it has no attachment; otherwise the same JSON with
    /// each attachment's `data` replaced by its `size`, `typeMismatch` and, when saved, `savedAs`.
    func json(_ stored: String, _ r: Referral, saved: [AttachmentFiles.Saved]?) throws -> String {
        guard !r.attachments.isEmpty, var object = try JSONSerialization.jsonObject(with: Data(stored.utf8)) as? [String: Any] else { return stored }
        object["attachments"] = r.attachments.enumerated().map { i, a -> [String: Any] in
            var entry: [String: Any] = ["filename": a.filename, "mediaType": a.mediaType, "size": a.data.count, "typeMismatch": a.typeMismatch]
            if let saved, let save { entry["savedAs"] = (save as NSString).appendingPathComponent(saved[i].name) }
            return entry
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A failure of `AttachmentFiles` as the CLI's error, in the catalogue's words: usage (64) for what
/// the user can change, not found (66) for a file that cannot be read.
func attachmentFailure(_ error: any Error) -> any Error {
    guard let f = error as? AttachmentFiles.Failure else { return error }
    switch f {
    case let .unreadable(path): return LocalError.notFound(Message.attachmentUnreadable(path: path).text)
    case let .tooLarge(total):
        return LocalError.usage(Message.attachmentsTooLarge(total: total, limitBytes: Referral.Attachment.maxTotalBytes).text)
    case let .typeRefused(path): return LocalError.usage(Message.attachmentTypeRefused(path: path).text)
    case let .tooMany(count): return LocalError.usage(Message.attachmentsTooMany(count: count, max: Referral.Limits.attachments).text)
    case let .folder(path): return LocalError.usage(Message.attachmentFolder(path: path).text)
    case let .unwritable(name): return LocalError.usage(Message.attachmentUnwritable(name: name).text)
    }
}
