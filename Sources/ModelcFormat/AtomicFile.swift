import Foundation

/// Writes files so that a reader sees either the old content or the complete new content,
/// never a partial file: write to a temporary file in the same directory, fsync, rename.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw failure(path, "cannot create a file in its directory") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let error = failure(path, "write failed")
                close(fd)
                unlink(tmp)
                throw error
            }
            written += n
        }
        let synced = fsync(fd) == 0
        let error = failure(path, "fsync failed")
        guard close(fd) == 0, synced, rename(tmp, path) == 0 else {
            unlink(tmp)
            throw synced ? failure(path, "cannot replace") : error
        }
    }

    private static func failure(_ path: String, _ what: String) -> FormatError {
        .io(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
    }
}
