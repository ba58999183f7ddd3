import ArgumentParser
import Foundation
import ModelcRegistry

/// Options every `modelc registry` command takes.
struct RegistryOptions: ParsableArguments {
    @Option(name: .customLong("registry"),
            help: ArgumentHelp("The registry directory (default: $MODELC_REGISTRY, else ~/.modelc/registry).", valueName: "path"))
    var path: String?

    @Flag(help: "Print JSON for scripts instead of text.")
    var json = false

    /// The registry; only commands that write (push, trust add) pass `create`.
    func open(create: Bool = false) throws -> Registry {
        try Registry(at: RegistryLocation.resolve(explicit: path), create: create)
    }

    /// Prints `value` as JSON when `--json` was given, else the text `text()` makes.
    func emit<T: Encodable>(_ value: T, text: () -> String) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(value), as: UTF8.self))
        } else {
            print(text())
        }
    }
}

/// Parses `NAME[@VERSION|@ALIAS]` arguments.
extension ModelRef: ExpressibleByArgument {
    public init?(argument: String) { try? self.init(parsing: argument) }
}

/// Aligned plain-text columns for registry listings.
enum RegistryTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func line(_ r: [String]) -> String {
            r.enumerated().map { i, v in i == r.count - 1 ? v : v.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([line(header)] + (rows.isEmpty ? ["(none)"] : rows.map(line))).joined(separator: "\n")
    }

    /// `key  value` lines.
    static func fields(_ pairs: [(String, String)]) -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }.joined(separator: "\n")
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
    }

    static func metrics(_ m: [String: Double]) -> String {
        m.isEmpty ? "-" : m.sorted { $0.key < $1.key }.map { "\($0.key)=\(number($0.value))" }.joined(separator: ", ")
    }
}
