import Foundation

/// Where the registry lives: `--registry PATH`, else `$MODELC_REGISTRY`, else `~/.modelc/registry`.
public enum RegistryLocation {
    public static let environmentVariable = "MODELC_REGISTRY"

    public static func resolve(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let path = environment[environmentVariable], !path.isEmpty { return path }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".modelc/registry")
    }
}
