import Foundation
import ModelcCompiler
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// The normal Swift build scores the golden vectors (Tests/Golden, written by Tools/golden.sh from
/// the Embedded library) bit for bit: the seed network at each precision, windows 0, 17, 34, … of
/// the fixture inputs.
final class GoldenVectorTests: XCTestCase {
    func testNormalBuildGivesGoldenBits() throws {
        let c = SeedFixtures.cases[1]
        let model = try SeedFixtures.importModel(c)
        let windows = try SeedFixtures.windows(c)
        for precision in [WeightPrecision.f32, .int8, .int8Dynamic] {
            let expected = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Tests/Golden/seed-long-\(precision.rawValue).bits"),
                                      encoding: .utf8).split(separator: "\n").map(String.init)
            let loaded = try SeedFixtures.load(try PassPipeline.run(model, precision: precision).0)
            let long = try XCTUnwrap(loaded.components.first { $0.name == "long" })
            let bits = try stride(from: 0, to: windows.count, by: 17).map { i in
                let p = try long.probability(window: windows[i].map(Double.init))
                let hex = String(p.bitPattern, radix: 16)
                return String(repeating: "0", count: 16 - hex.count) + hex
            }
            XCTAssertEqual(bits, expected, precision.rawValue)
        }
    }

    /// Format 1.1: the committed calibrated artifacts (Tests/Golden/calibrated-*.modelc) score the
    /// tree fixture rows through their calibrated `long_trees` component to the golden bits.
    func testCalibratedComponentsGiveGoldenBits() throws {
        let rows = try TreeFixtures.rows()
        for method in ["isotonic", "platt"] {
            let golden = RepositoryPaths.root.appendingPathComponent("Tests/Golden/calibrated-\(method)")
            let model = try ModelLoader.load([UInt8](try Data(contentsOf: golden.appendingPathExtension("modelc"))))
            let component = try XCTUnwrap(model.components.first { $0.name == "long_trees" })
            XCTAssertNotNil(component.calibrator, method)
            let expected = try String(contentsOf: golden.appendingPathExtension("bits"), encoding: .utf8).split(separator: "\n").map(String.init)
            let bits = try rows.values.withUnsafeBufferPointer { buf in
                try component.scoreTrees(rows: buf, rowCount: rows.count).map { score -> String in
                    let hex = String(score.probability.bitPattern, radix: 16)
                    return String(repeating: "0", count: 16 - hex.count) + hex
                }
            }
            XCTAssertEqual(bits, expected, method)
        }
    }
}
