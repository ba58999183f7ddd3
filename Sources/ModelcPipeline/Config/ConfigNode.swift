import Foundation
import Yams

/// A bad build config: the file, the line, the key path and what is allowed.
public struct BuildConfigError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// One node of a build config with where it came from, so every error names the file, the line
/// and the key path (`walk_forward.train`), and the allowed keys or values.
struct ConfigNode {
    let node: Node
    let path: String
    let file: String

    /// Parses YAML text; the top level must be a mapping.
    static func root(yaml: String, file: String) throws -> ConfigNode {
        let parsed: Node?
        do {
            parsed = try Yams.compose(yaml: yaml)
        } catch {
            throw BuildConfigError("\(file): not valid YAML: \(error)")
        }
        guard let parsed else { throw BuildConfigError("\(file): the config is empty") }
        return ConfigNode(node: parsed, path: "", file: file)
    }

    func fail(_ message: String) -> BuildConfigError {
        let line = node.mark.map { ":\($0.line)" } ?? ""
        return BuildConfigError("\(file)\(line): \(path.isEmpty ? "" : "\(path): ")\(message)")
    }

    private func child(_ key: String, _ node: Node) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// The mapping's entries; a key outside `allowed` is an error that lists them.
    func mapping(allowed: [String]) throws -> [String: ConfigNode] {
        guard let map = node.mapping else { throw fail("expected a mapping with keys \(allowed.joined(separator: ", "))") }
        var out: [String: ConfigNode] = [:]
        for (k, v) in map {
            guard let key = k.scalar?.string else { throw fail("keys must be plain words") }
            guard allowed.contains(key) else {
                throw child(key, k).fail("unknown key (allowed here: \(allowed.joined(separator: ", ")))")
            }
            guard out[key] == nil else { throw child(key, k).fail("given twice") }
            out[key] = child(key, v)
        }
        return out
    }

    func list() throws -> [ConfigNode] {
        guard let seq = node.sequence else { throw fail("expected a list") }
        return seq.enumerated().map { i, n in ConfigNode(node: n, path: "\(path)[\(i)]", file: file) }
    }

    func string() throws -> String {
        guard let s = node.scalar?.string, !s.isEmpty else { throw fail("expected a non-empty string") }
        return s
    }

    /// One of `allowed`, spelled exactly.
    func choice(_ allowed: [String]) throws -> String {
        let s = node.scalar?.string ?? ""
        guard allowed.contains(s) else { throw fail("'\(s)' is not one of \(allowed.joined(separator: ", "))") }
        return s
    }

    func int(_ range: ClosedRange<Int>) throws -> Int {
        guard let s = node.scalar?.string, let v = Int(s) else { throw fail("expected an integer in \(range)") }
        guard range.contains(v) else { throw fail("\(v) is outside \(range)") }
        return v
    }

    func double(_ range: ClosedRange<Double>) throws -> Double {
        guard let s = node.scalar?.string, let v = Double(s), v.isFinite else { throw fail("expected a number in \(range)") }
        guard range.contains(v) else { throw fail("\(s) is outside [\(range.lowerBound), \(range.upperBound)]") }
        return v
    }

    func bool() throws -> Bool {
        switch node.scalar?.string ?? "" {
        case "true", "yes": return true
        case "false", "no": return false
        case let s: throw fail("'\(s)' is not true or false")
        }
    }

    /// A span of time: `90d`, `36h`, `30m`, `2w` or plain seconds.
    func duration() throws -> Int64 {
        let s = node.scalar?.string ?? ""
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        if let unit = s.last, let scale = units[unit], let n = Int64(s.dropLast()), n > 0, n < 1 << 32 { return n * scale }
        if let n = Int64(s), n > 0, n < 1 << 40 { return n }
        throw fail("'\(s)' is not a positive duration (e.g. 90d, 36h, 30m, 2w, or seconds)")
    }

    /// A UTC date `2024-01-31` or time `2024-01-31T12:00:00Z`, as unix seconds.
    func date() throws -> Int64 {
        let s = node.scalar?.string ?? ""
        guard let t = UTCDate.parse(s) else { throw fail("'\(s)' is not a UTC date (2024-01-31) or time (2024-01-31T12:00:00Z)") }
        return t
    }
}

/// The dates a user types for spans (build configs, `modelc backtest --from/--to`).
public enum UTCDate {
    /// Unix seconds of `2024-01-31T12:00:00Z` or `2024-01-31` (midnight UTC); nil otherwise.
    public static func parse(_ s: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        if let d = f.date(from: s) { return Int64(d.timeIntervalSince1970) }
        f.formatOptions = [.withFullDate]
        return f.date(from: s).map { Int64($0.timeIntervalSince1970) }
    }
}
