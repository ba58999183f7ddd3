import Foundation

/// Every file modelc writes goes through here, so that a reader (a bot watching an artifact, a
/// resumed training run) sees either the old content or the complete new content, never a part:
/// the bytes go to a temporary file with a unique name beside the target (or in a given folder of
/// the same file system), which is fsynced, renamed over the target, and the folder fsynced so the
/// rename survives a power loss. On any failure the temporary file is removed and the target is
/// left as it was.
public enum AtomicFile {
    /// Writes `bytes` to `path`. `permissions` nil: 0644 less the umask, as any new file.
    public static func write(_ bytes: [UInt8], to path: String, permissions: mode_t? = nil) throws(AtomicFileError) {
        try replace(path, permissions: permissions, failure: { $0 }) { (file) throws(AtomicFileError) in try file.write(bytes[...]) }
    }

    /// Replaces `path` with what `fill` writes into the temporary file it is given: by its
    /// `write`, or by its `path` for a library that opens files itself (HDF5). `failure` turns
    /// an I/O failure of this helper into the caller's error type. `temporaryDirectory` (same
    /// file system as `path`) holds the temporary file instead of `path`'s own folder.
    public static func replace<E: Error>(
        _ path: String, permissions: mode_t? = nil, temporaryDirectory: String? = nil,
        failure: @escaping (AtomicFileError) -> E, fill: (TemporaryFile<E>) throws(E) -> Void
    ) throws(E) {
        let folder = folderOf(path)
        let name = (path as NSString).lastPathComponent
        let temporary = "\(temporaryDirectory ?? folder)/.\(name).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions ?? 0o644)
        guard fd >= 0 else { throw failure(.init(path, "cannot create a temporary file in \(temporaryDirectory ?? folder)")) }
        var closed = false
        defer { if !closed { close(fd) } }
        do throws(E) {
            if let permissions, fchmod(fd, permissions) != 0 { throw failure(.init(path, "cannot set the file mode")) }
            try fill(TemporaryFile(path: temporary, descriptor: fd, target: path, failure: failure))
            // fsync of any descriptor flushes the file, whoever wrote it (a library by path, too).
            guard fsync(fd) == 0 else { throw failure(.init(path, "fsync failed")) }
            closed = true
            guard close(fd) == 0 else { throw failure(.init(path, "close failed")) }
            guard rename(temporary, path) == 0 else { throw failure(.init(path, "cannot move the written file into place")) }
        } catch {
            unlink(temporary)
            throw error
        }
        syncFolder(folder)
    }

    /// Makes a rename or a new entry in `folder` durable across a power loss.
    public static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func folderOf(_ path: String) -> String {
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? "." : folder
    }
}

/// The temporary file `AtomicFile.replace` hands its writer.
public struct TemporaryFile<E: Error> {
    /// Where the temporary file is (for a library that writes by path).
    public let path: String
    let descriptor: Int32
    let target: String
    let failure: (AtomicFileError) -> E

    /// Appends `bytes`, all of them.
    public func write(_ bytes: ArraySlice<UInt8>) throws(E) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw failure(.init(target, "write failed")) }
            written += n
        }
    }
}

/// A file could not be written; names the file and the system's reason.
public struct AtomicFileError: Error, CustomStringConvertible {
    public let path: String
    public let reason: String

    init(_ path: String, _ what: String) {
        self.path = path
        reason = "\(what): \(String(cString: strerror(errno)))"
    }

    public var description: String { "\(path): \(reason)" }
}
