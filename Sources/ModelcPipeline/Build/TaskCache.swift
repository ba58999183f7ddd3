import Crypto
import Foundation
import ModelcFiles

/// The build's content-addressed store of task outputs (Spec.md §14.6): one file per task key,
/// `KEY[0..<2]/KEY`, written atomically (a kill at any moment leaves the old state or the whole
/// entry) and read only after its header is checked: the format line, the key it was written for,
/// the payload's length and SHA-256. An entry that fails a check is named, removed and rebuilt —
/// never used.
public struct TaskCache: Sendable {
    public let folder: String
    static let format = "modelc-task-cache/1"

    public init(folder: String) { self.folder = folder }

    func path(_ key: String) -> String { "\(folder)/\(key.prefix(2))/\(key)" }

    /// The payload stored for `key`; nil when there is none or it failed a check, `reject` told why.
    func load(_ key: String, reject: (String) -> Void) -> [UInt8]? {
        let file = path(key)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        let bytes = [UInt8](data)
        switch Self.payload(bytes, key: key) {
        case .success(let payload): return payload
        case .failure(let problem):
            reject("cache entry \(file): \(problem.reason); removed, the task runs again")
            unlink(file)
            return nil
        }
    }

    /// Stores `payload` under `key`, replacing any entry atomically.
    func store(_ key: String, _ payload: [UInt8]) throws {
        let file = path(key)
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let header = "\(Self.format) \(key) \(payload.count) \(Self.digest(payload))\n"
        try AtomicFile.write(Array(header.utf8) + payload, to: file)
    }

    struct Problem: Error { let reason: String }

    /// The payload of an entry's bytes when every header field checks out.
    static func payload(_ bytes: [UInt8], key: String) -> Result<[UInt8], Problem> {
        guard let newline = bytes.prefix(512).firstIndex(of: 10),
              let header = String(bytes: bytes[..<newline], encoding: .utf8)
        else { return .failure(Problem(reason: "no header line: not a modelc cache entry")) }
        let fields = header.split(separator: " ").map(String.init)
        guard fields.count == 4, fields[0] == format, let length = Int(fields[2]) else {
            return .failure(Problem(reason: "header '\(header.prefix(80))' is not '\(format) KEY LENGTH SHA256'"))
        }
        guard fields[1] == key else { return .failure(Problem(reason: "written for key \(fields[1]), not this one (a foreign entry)")) }
        let payload = Array(bytes[(newline + 1)...])
        guard payload.count == length else {
            return .failure(Problem(reason: "truncated: \(payload.count) of \(length) payload bytes"))
        }
        let actual = digest(payload)
        guard actual == fields[3] else { return .failure(Problem(reason: "payload SHA-256 \(actual) is not the recorded \(fields[3])")) }
        return .success(payload)
    }

    public static func digest<D: DataProtocol>(_ bytes: D) -> String { hex(SHA256.hash(data: bytes)) }

    /// Lowercase hex of a digest's bytes: how keys, entries and the card's digests are written.
    public static func hex<S: Sequence<UInt8>>(_ bytes: S) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
