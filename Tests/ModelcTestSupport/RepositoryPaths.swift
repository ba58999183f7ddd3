import Foundation

/// Where the tests find the package and what lies beside it, from this file's location, so a
/// clone anywhere works: the one place that knows the layout.
public enum RepositoryPaths {
    /// The package root (the folder of Package.swift).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `<package root>/../shared`: real candles (`data/ohlcv`), fixtures, design docs.
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// A path under `shared`, e.g. `"data/ohlcv/BTCUSDT_1h.csv"`.
    public static func shared(_ relative: String) -> URL { shared.appendingPathComponent(relative) }
}
