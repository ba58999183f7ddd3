import Crypto
import Foundation
import ModelcFiles

/// Content-addressed artifact bytes: `blobs/<first 2 hex>/<other 62 hex>` of their SHA-256.
/// A blob appears only by rename of a complete, fsynced temporary file from `tmp/` (same file
/// system), so a blob file always holds all of its bytes or does not exist; its digest is
/// checked again whenever it is read. Blob files are read-only (0444).
struct BlobStore {
    let directory: String
    let temporary: String

    static func sha256(_ bytes: some DataProtocol) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    static func isDigest(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    func path(of sha256: String) -> String {
        "\(directory)/\(sha256.prefix(2))/\(sha256.dropFirst(2))"
    }

    /// Stores `bytes` and returns their digest, and whether a file was written. An existing
    /// blob with the right digest is kept (the same bytes pushed twice are one blob); one with
    /// the wrong digest is replaced.
    @discardableResult
    func put(_ bytes: [UInt8]) throws(RegistryError) -> (sha256: String, written: Bool) {
        let sha = Self.sha256(bytes)
        if (try? read(sha)) != nil { return (sha, false) }
        let dest = path(of: sha)
        let shard = (dest as NSString).deletingLastPathComponent
        try makeDirectory(shard)
        try AtomicFile.replace(dest, permissions: 0o444, temporaryDirectory: temporary,
                               failure: { RegistryError.io(path: $0.path, reason: $0.reason) }) { (file) throws(RegistryError) in
            try file.write(bytes[..<(bytes.count / 2)])
            TestPause.at("blob-partial")
            try file.write(bytes[(bytes.count / 2)...])
            TestPause.at("blob-written")
        }
        return (sha, true)
    }

    /// Whether a blob is present with the expected size: the cheap check made under the write
    /// lock before an index row points at it (the digest was checked when it was written).
    func has(_ sha256: String, size: Int) -> Bool {
        var info = stat()
        return stat(path(of: sha256), &info) == 0 && Int(info.st_size) == size
    }

    /// The blob's bytes, refused unless they still hash to its name.
    func read(_ sha256: String) throws(RegistryError) -> [UInt8] {
        let file = path(of: sha256)
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .corruptBlob(sha256: sha256, path: file, reason: "missing or unreadable")
        }
        let actual = Self.sha256(data)
        guard actual == sha256 else {
            throw .corruptBlob(sha256: sha256, path: file, reason: "its bytes hash to sha256:\(actual)")
        }
        return [UInt8](data)
    }

    /// Every file under `blobs/`, by the digest its path names (nil for a stray file name).
    func all() -> [(sha256: String?, path: String)] {
        let fm = FileManager.default
        var out: [(String?, String)] = []
        for shard in ((try? fm.contentsOfDirectory(atPath: directory)) ?? []).sorted() {
            let dir = "\(directory)/\(shard)"
            for file in ((try? fm.contentsOfDirectory(atPath: dir)) ?? []).sorted() {
                let sha = shard + file
                out.append((shard.count == 2 && Self.isDigest(sha) ? sha : nil, "\(dir)/\(file)"))
            }
        }
        return out
    }

    /// Temporary files left by interrupted pushes, older than `age` seconds (younger ones may
    /// belong to a push still running).
    func temporaryFiles(olderThan age: TimeInterval) -> [String] {
        let fm = FileManager.default
        let cutoff = Date().addingTimeInterval(-age)
        return ((try? fm.contentsOfDirectory(atPath: temporary)) ?? []).sorted().map { "\(temporary)/\($0)" }.filter {
            ((try? fm.attributesOfItem(atPath: $0)[.modificationDate] as? Date) ?? .distantPast) <= cutoff
        }
    }

    private func makeDirectory(_ path: String) throws(RegistryError) {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw .io(path: path, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        AtomicFile.syncFolder((path as NSString).deletingLastPathComponent)
    }
}
