import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcTestSupport
import XCTest

/// The XGBoost 3.2.0 / LightGBM 4.7.0 fixtures in `<package root>/../shared/fixtures/trees`
/// (README.md there): model files, 1000 test rows and each library's own outputs.
enum TreeFixtures {
    static let directory = RepositoryPaths.shared("fixtures/trees").path

    static func path(_ name: String) -> String { directory + "/" + name }

    /// Each fixture model is imported once per test run (parsing the 2 MB files dominates a
    /// debug-build test's time); XCTest runs test methods one at a time.
    nonisolated(unsafe) private static var imports: [String: ImportedEnsemble] = [:]

    static func imported(_ library: TreeLibrary, _ name: String) throws -> ImportedEnsemble {
        if let cached = imports[name] { return cached }
        let imported = try library.read(path: path(name))
        imports[name] = imported
        return imported
    }

    static func npy(_ name: String) throws -> NpyArray {
        try NpyArray(path: path(name))
    }

    /// X_test as float64 rows (1000 × 23, from float32).
    static func rows() throws -> (values: [Double], count: Int, width: Int) {
        let x = try npy("X_test.npy")
        XCTAssertEqual(x.dtype, .float32)
        return (x.doubles(), x.shape[0], x.shape[1])
    }

    /// Raw little-endian float32 bit patterns of a 1-D float32 fixture (XGBoost's outputs).
    static func float32Bits(_ name: String) throws -> [UInt32] {
        let a = try npy(name)
        XCTAssertEqual(a.dtype, .float32)
        return a.doubles().map { Float($0).bitPattern }
    }
}
