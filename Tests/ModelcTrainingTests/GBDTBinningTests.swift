import XCTest

@testable import ModelcTraining

final class GBDTBinningTests: XCTestCase {
    /// A bin split after bin b is the rule x < thresholds[b], for every training value.
    func assertThresholdsAgree(_ values: [Float], _ bins: FeatureBins, file: StaticString = #filePath, line: UInt = #line) {
        for x in values {
            let b = Int(bins.bin(x))
            for (k, t) in bins.thresholds.enumerated() {
                XCTAssertEqual(b <= k, x < t, "x \(x), threshold \(k) = \(t)", file: file, line: line)
            }
        }
    }

    func testFewDistinctValuesGetOneBinEach() {
        let values: [Float] = [3, 1, 2, 2, 1, 7, -0.0, 0, 3]
        let bins = FeatureBins.fit(sorted: values.sorted(), maxBins: 255)
        XCTAssertEqual(bins.valueBins, 5, "-0 and +0 are one value")  // {-0/0, 1, 2, 3, 7}
        XCTAssertEqual(Set(values.map { bins.bin($0) }).count, 5)
        XCTAssertEqual(bins.bin(.nan), UInt8(bins.nanBin))
        assertThresholdsAgree(values, bins)
        for (a, b) in zip(bins.thresholds, bins.thresholds.dropFirst()) { XCTAssertLessThan(a, b) }
    }

    func testQuantileBinsKeepHeavyTiesAndRespectMaxBins() {
        var s = GBDTFixtures.Stream(state: 61)
        // 40 % of rows are exactly 0 (a heavy tie), the rest continuous.
        let values = (0..<20_000).map { _ in s.uniform() < 0.4 ? Float(0) : Float(s.normal()) }
        for maxBins in [2, 16, 255] {
            let bins = FeatureBins.fit(sorted: values.sorted(), maxBins: maxBins)
            XCTAssertLessThanOrEqual(bins.valueBins, maxBins)
            XCTAssertGreaterThanOrEqual(bins.valueBins, maxBins / 2)
            assertThresholdsAgree(Array(values.prefix(2_000)), bins)
            var counts = [Int](repeating: 0, count: bins.valueBins)
            for v in values { counts[Int(bins.bin(v))] += 1 }
            if maxBins == 255 {
                // The tie sits alone in its bin; other bins hold near-equal shares.
                XCTAssertEqual(counts[Int(bins.bin(0))], values.filter { $0 == 0 }.count)
                let others = counts.enumerated().filter { $0.offset != Int(bins.bin(0)) }.map(\.element)
                XCTAssertLessThan(others.max()!, 3 * 12_000 / 254)
            }
        }
    }

    func testThresholdsBetweenNeighbouringFloatsAndInfinities() {
        let a: Float = 1
        let values: [Float] = [-.infinity, -.greatestFiniteMagnitude, a, a.nextUp, .greatestFiniteMagnitude, .infinity]
        let bins = FeatureBins.fit(sorted: values, maxBins: 255)
        XCTAssertEqual(bins.valueBins, 6)
        assertThresholdsAgree(values, bins)
        XCTAssertEqual(FeatureBins.between(a, a.nextUp), a.nextUp)
        XCTAssertEqual(FeatureBins.between(0, 1), 0.5)
    }

    func testRadixSortEqualsStandardSortAndSkipsNaN() {
        var s = GBDTFixtures.Stream(state: 62)
        var x: [Float] = (0..<5_000).map { _ in Float(s.normal() * 1e3) }
        x += [.nan, -0.0, 0, .infinity, -.infinity, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .nan]
        let (values, rows) = x.withUnsafeBufferPointer { FloatRadixSort.sorted($0.baseAddress!, stride: 1, count: x.count) }
        XCTAssertEqual(values.count, x.count - 2)
        XCTAssertEqual(values.map(\.bitPattern), x.filter { !$0.isNaN }.sorted { $0 < $1 || ($0 == $1 && $0.sign == .minus) }.map(\.bitPattern))
        for (v, r) in zip(values, rows) { XCTAssertEqual(x[Int(r)].bitPattern, v.bitPattern) }
    }

    func testBinnedMatrixMatchesPerValueBinsOnStridedColumns() throws {
        let data = GBDTFixtures.nonlinear(rows: 3_000, seed: 63)
        let binned = BinnedMatrix.fit(data, maxBins: 63, pool: WorkerPool(requested: 2))
        let validation = GBDTFixtures.nonlinear(rows: 500, seed: 64)
        let applied = BinnedMatrix.apply(binned.bins, to: validation, pool: WorkerPool(requested: 2))
        for (set, matrix) in [(data, binned), (validation, applied)] {
            for f in 0..<set.columns {
                for r in stride(from: 0, to: set.rows, by: 7) {
                    XCTAssertEqual(matrix.columnMajor[f * set.rows + r], binned.bins[f].bin(set[r, f]))
                }
            }
        }
        XCTAssertEqual(binned.offsets.last, binned.bins.reduce(0) { $0 + $1.slots })
    }
}
