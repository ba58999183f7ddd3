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

    /// Batch invariance: windows scored together (blocks of 3, and a run longer than the runtime's
    /// block of 32) give each window the bits it gets alone, at every precision, including f16
    /// weights and the golden windows. (Every block size down to the kernel: KernelReferenceTests.)
    func testBatchesGiveEachWindowItsOwnBits() throws {
        let c = SeedFixtures.cases[1]
        let model = try SeedFixtures.importModel(c)
        let windows = Array(try SeedFixtures.windows(c).prefix(ComponentDefinition.windowBlock + 9))
        for precision in [WeightPrecision.f32, .f16, .int8, .int8Dynamic] {
            let loaded = try SeedFixtures.load(try PassPipeline.run(model, precision: precision).0)
            let long = try XCTUnwrap(loaded.components.first { $0.name == "long" })
            let alone = try windows.map { try long.probability(window: $0.map(Double.init)).bitPattern }
            for size in [3, windows.count] {
                var start = 0
                while start < windows.count {
                    let block = windows[start..<min(start + size, windows.count)]
                    let together = try long.probabilities(windows: block.flatMap { $0.map(Double.init) }, count: block.count)
                    XCTAssertEqual(together.map(\.bitPattern), Array(alone[block.indices]), "\(precision.rawValue), blocks of \(size) from \(start)")
                    start += size
                }
            }
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
