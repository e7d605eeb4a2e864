import Foundation
public import RelaisCore

/// Reading the files a professional attaches, and writing those a recipient saves (SPEC.md,
/// "Attachments"). The rules are RelaisCore's (`AttachmentType`, `AttachmentName`,
/// `Referral.Attachment.maxTotalBytes`); this is the part that touches the disk. Nothing here
/// prints or logs a file's content or name.
public enum AttachmentFiles {
    public enum Failure: Error, Equatable, Sendable {
        /// The file cannot be read (missing, a folder, no permission).
        case unreadable(path: String)
        /// The files hold `total` bytes together, above `Referral.Attachment.maxTotalBytes`
        /// (counted before the whole of the last file is read).
        case tooLarge(total: Int)
        /// The bytes are none of the accepted types, and `allowAnyType` was not given.
        case typeRefused(path: String)
        /// More files than `Referral.Limits.attachments`.
        case tooMany(count: Int)
        /// The folder to save into cannot be created or is not a folder.
        case folder(path: String)
        /// A file could not be written.
        case unwritable(name: String)
    }

    /// The attachments for `paths`: each file's last path component as its name, its media type
    /// detected from its bytes (`application/octet-stream` for any other type when `allowAnyType`,
    /// refused otherwise). Sizes are checked before reading, so an oversized file is never loaded.
    public static func read(_ paths: [String], allowAnyType: Bool) throws(Failure) -> [Referral.Attachment] {
        guard paths.count <= Referral.Limits.attachments else { throw .tooMany(count: paths.count) }
        var total = 0
        var out: [Referral.Attachment] = []
        for path in paths {
            let url = URL(fileURLWithPath: path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                  let handle = try? FileHandle(forReadingFrom: url) else { throw .unreadable(path: path) }
            defer { try? handle.close() }
            guard let size = try? handle.seekToEnd() else { throw .unreadable(path: path) }
            total += Int(clamping: size)
            guard total <= Referral.Attachment.maxTotalBytes else { throw .tooLarge(total: total) }
            guard (try? handle.seek(toOffset: 0)) != nil,
                  let data = size == 0 ? Data() : (try? handle.read(upToCount: Int(size))) else { throw .unreadable(path: path) }
            let type: AttachmentType
            if let detected = AttachmentType.detect(data) {
                type = detected
            } else if allowAnyType {
                type = .octetStream
            } else {
                throw .typeRefused(path: path)
            }
            out.append(.init(filename: url.lastPathComponent, mediaType: type.rawValue, data: data))
        }
        return out
    }

    /// One attachment written by `save`: the sanitised name it has on disk (within `folder`) and
    /// whether its bytes are not the declared type.
    public struct Saved: Sendable, Equatable {
        public let name: String
        public let typeMismatch: Bool
    }

    /// Writes `attachments` into `folder` (created 0700 when missing), each as a new file of mode
    /// 0600 under its `AttachmentName.sanitised` name, never overwriting anything: an existing name
    /// gets « (2) », « (3) »… The file is created exclusively and without following a link.
    public static func save(_ attachments: [Referral.Attachment], into folder: String) throws(Failure) -> [Saved] {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])) != nil,
                  chmod(folder, 0o700) == 0 else { throw .folder(path: folder) }
        } else if !isFolder.boolValue {
            throw .folder(path: folder)
        }
        var saved: [Saved] = []
        for a in attachments {
            let safe = AttachmentName.sanitised(a.filename)
            var attempt = 1
            while true {
                let name = AttachmentName.candidate(safe, attempt: attempt)
                let fd = open((folder as NSString).appendingPathComponent(name), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                if fd < 0 {
                    guard errno == EEXIST, attempt < 10_000 else { throw .unwritable(name: safe) }
                    attempt += 1
                    continue
                }
                defer { close(fd) }
                guard fchmod(fd, 0o600) == 0, writeAll(a.data, to: fd) else {
                    unlink((folder as NSString).appendingPathComponent(name))
                    throw .unwritable(name: name)
                }
                saved.append(Saved(name: name, typeMismatch: a.typeMismatch))
                break
            }
        }
        return saved
    }

    private static func writeAll(_ data: Data, to fd: Int32) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
            }
            return true
        }
    }
}
