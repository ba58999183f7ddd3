import Foundation

/// Where the registry lives, and how that was chosen: `--registry PATH`, else
/// `$MODELC_REGISTRY`, else `~/.modelc/registry`. The source is named when no registry is there,
/// so a typo in a flag or a stale variable is easy to spot.
public struct RegistryLocation: Equatable, Sendable, CustomStringConvertible {
    public enum Source: String, Sendable {
        case flag = "--registry"
        case environment = "$MODELC_REGISTRY"
        case standard = "the default"
    }

    public static let environmentVariable = "MODELC_REGISTRY"

    public var path: String
    public var source: Source

    public init(path: String, source: Source) {
        self.path = path
        self.source = source
    }

    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> RegistryLocation {
        if let explicit, !explicit.isEmpty { return RegistryLocation(path: explicit, source: .flag) }
        if let path = environment[environmentVariable], !path.isEmpty { return RegistryLocation(path: path, source: .environment) }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return RegistryLocation(path: (home as NSString).appendingPathComponent(".modelc/registry"), source: .standard)
    }

    /// `PATH (from --registry)`.
    public var description: String { "\(path) (from \(source.rawValue))" }
}
