import Foundation
import ModelcRuntime
import ModelcTestSupport
import XCTest

@testable import ModelcTraining

final class FeatureScalerTests: XCTestCase {
    /// Deterministic pseudo-random columns of very different magnitudes: a price-like column with
    /// a large mean and small spread, a small ratio, a signed one, and a constant.
    static func matrix(rows: Int, seed: UInt64) -> FeatureMatrix {
        var state = seed
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var values: [Double] = []
        for _ in 0..<rows {
            values += [40_000 + next() * 0.05, next() * 1e-3, (next() - 0.5) * 8, 7.25]
        }
        return try! FeatureMatrix(columns: 4, values: values)
    }

    /// Welford's one-pass mean and population variance: a different algorithm from the scaler's two passes.
    static func welford(_ xs: [Double]) -> (mean: Double, std: Double) {
        var mean = 0.0, m2 = 0.0
        for (k, x) in xs.enumerated() {
            let delta = x - mean
            mean += delta / Double(k + 1)
            m2 += delta * (x - mean)
        }
        return (mean, (m2 / Double(xs.count)).squareRoot())
    }

    /// Within one float32 ulp of the Double reference (the stored values are rounded to Float).
    func assertClose(_ stored: Float, _ reference: Double, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(Double(stored) - reference), Double(stored.ulp), what, file: file, line: line)
    }

    func testStandardOnTrainingRowsOfPooledMatricesMatchesWelford() throws {
        var a = Self.matrix(rows: 500, seed: 1).values
        for r in 400..<500 { a[r * 4] = 1e9 }  // outliers outside the training rows must not count
        let matrices = [try FeatureMatrix(columns: 4, values: a), Self.matrix(rows: 300, seed: 2)]
        let rows = (0..<400).map { RowRef(series: 0, row: $0) } + (0..<300).map { RowRef(series: 1, row: $0) }
        let names = ["close", "ratio", "signed", "flat"]
        let scaler = try FeatureScaler.fit(.standard, matrices: matrices, rows: rows, names: names)
        XCTAssertEqual(scaler.kind, .standard)
        for c in 0..<3 {
            let (mean, std) = Self.welford(rows.map { matrices[$0.series][$0.row, c] })
            assertClose(scaler.shift[c], mean, "mean of \(names[c])")
            assertClose(scaler.scale[c], 1 / std, "1/std of \(names[c])")
        }
        XCTAssertEqual(scaler.shift[3], 7.25)
        XCTAssertEqual(scaler.scale[3], 1)
        XCTAssertEqual(scaler.notes, ["feature 3 (flat) is constant (7.25) on the 700 training rows: scale 1"])
    }

    func testMinMaxMapsTheTrainingRangeOntoZeroOne() throws {
        let m = Self.matrix(rows: 200, seed: 3)
        let rows = Array(0..<150)
        let scaler = try FeatureScaler.fit(.minMax, matrix: m, rows: rows)
        for c in 0..<3 {
            let column = rows.map { m[$0, c] }
            let (low, high) = (column.min()!, column.max()!)
            assertClose(scaler.shift[c], low, "min of \(c)")
            assertClose(scaler.scale[c], 1 / (high - low), "1/range of \(c)")
        }
        XCTAssertEqual(scaler.notes, ["feature 3 is constant (7.25) on the 150 training rows: scale 1"])
    }

    /// apply() is the runtime formula in Float; compare with (x - mean) / std in Double.
    func testApplyMatchesTheFormula() throws {
        let m = Self.matrix(rows: 100, seed: 4)
        let scaler = try FeatureScaler.fit(.standard, matrix: m, rows: Array(0..<100))
        let scaled = try scaler.apply(to: m)
        XCTAssertEqual(scaled.count, 400)
        for c in 1..<3 {  // the price-like column loses digits in Float by design; the others stay close
            let (mean, std) = Self.welford((0..<100).map { m[$0, c] })
            for r in 0..<100 {
                XCTAssertEqual(Double(scaled[r * 4 + c]), (m[r, c] - mean) / std, accuracy: 1e-5, "row \(r) column \(c)")
            }
        }
        let identity = try FeatureScaler.fit(.none, matrix: m, rows: [0])
        XCTAssertEqual(identity.shift, [0, 0, 0, 0])
        XCTAssertEqual(identity.scale, [1, 1, 1, 1])
        XCTAssertEqual(try identity.apply(to: m), m.values.map { Float($0) })
    }

    func testBadInputIsRefusedWithRowAndFeature() throws {
        var values = Self.matrix(rows: 10, seed: 5).values
        values[6 * 4 + 2] = .nan
        let withNaN = try FeatureMatrix(columns: 4, values: values)
        let names = ["a", "b", "c", "d"]
        XCTAssertNoThrow(try FeatureScaler.fit(.standard, matrix: withNaN, rows: Array(0..<6)), "row 6 is not a training row")
        let cases: [(() throws -> Void, String)] = [
            ({ _ = try FeatureScaler.fit(.standard, matrix: withNaN, rows: Array(0..<10), names: names) },
             "feature 2 (c) is nan in row 6 of matrix 0"),
            ({ _ = try FeatureScaler.fit(.standard, matrix: withNaN, rows: []) }, "no training rows"),
            ({ _ = try FeatureScaler.fit(.standard, matrix: withNaN, rows: [10]) }, "row 10 of matrix 0 does not exist"),
            ({ _ = try FeatureScaler.fit(.standard, matrix: withNaN, rows: [0], names: ["a"]) }, "1 feature names for 4 columns"),
            ({ _ = try FeatureScaler.fit(.minMax, matrices: [withNaN, try FeatureMatrix(columns: 2, values: [1, 2])], rows: [RowRef(series: 0, row: 0)]) },
             "matrix 1 has 2 columns, matrix 0 has 4"),
            ({ _ = try FeatureScaler.fit(.standard, matrices: [], rows: []) }, "no feature matrices"),
            ({ _ = try FeatureMatrix(columns: 3, values: [1, 2, 3, 4]) }, "4 values do not make rows of 3 columns"),
            ({ _ = try FeatureScaler.fit(.standard, matrix: try FeatureMatrix(columns: 1, values: [0, 1e-300]), rows: [0, 1]) },
             "1/spread overflows float32"),
            ({ _ = try FeatureScaler.fit(.none, matrix: withNaN, rows: [0]).apply(to: try FeatureMatrix(columns: 2, values: [1, 2])) },
             "fit on 4 features, applied to 2"),
        ]
        for (call, expected) in cases {
            XCTAssertThrowsError(try call()) {
                XCTAssertTrue(ForwardLabelsTests.message($0).contains(expected), ForwardLabelsTests.message($0))
            }
        }
    }

    func testKindsMatchTheSchemaEnum() throws {
        let proto = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Schemas/modelc.proto"), encoding: .utf8)
        for (kind, name) in [(ScalerKind.none, "SCALER_NONE"), (.standard, "SCALER_STANDARD"), (.minMax, "SCALER_MIN_MAX")] {
            XCTAssertTrue(proto.contains("  \(name) = \(kind.rawValue);"), name)
        }
    }
}
