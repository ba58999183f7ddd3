import Foundation
import ModelcFiles

/// Reading and writing key files: the private key is created with mode 0600 from the start,
/// never written world-readable and tightened afterwards.
public enum SigningKeyFiles {
    /// Writes `NAME.key` (0600) and `NAME.pub` (0644) into `directory`, creating it (0700) if
    /// needed; refuses to replace existing files unless `overwrite`.
    public static func write(_ key: ArtifactSigningKey, directory: String, name: String = "modelc",
                             overwrite: Bool = false) throws(SigningError) -> (privatePath: String, publicPath: String) {
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw .io(path: directory, reason: "cannot create the directory: \(error.localizedDescription)")
            }
        }
        let priv = (directory as NSString).appendingPathComponent("\(name).key")
        let pub = (directory as NSString).appendingPathComponent("\(name).pub")
        if !overwrite {
            for path in [priv, pub] where FileManager.default.fileExists(atPath: path) {
                throw .io(path: path, reason: "already exists (use --force to replace it)")
            }
        }
        try create(priv, text: key.fileText, mode: 0o600)
        try create(pub, text: key.publicKey.fileText, mode: 0o644)
        return (priv, pub)
    }

    static func read(_ path: String) throws(SigningError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "cannot read the key file")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Writes `text` through `AtomicFile` with exactly `mode` (never wider, whatever the umask).
    private static func create(_ path: String, text: String, mode: mode_t) throws(SigningError) {
        do {
            try AtomicFile.write(Array(text.utf8), to: path, permissions: mode)
        } catch {
            throw .io(path: path, reason: error.reason)
        }
    }
}
