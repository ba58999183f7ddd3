import Foundation
import ModelcRuntime
import XCTest

/// The engine against the PyTorch fixture's inputs (shared/fixtures/lstm): its 512 real
/// windows are NumPy features of BTCUSDT and ETHUSDT, standardised with feature_stats.json and
/// cast to float32. Recomputing them from the candle files is an end-to-end check against an
/// independent implementation (make_fixtures.py) of every formula, window and gap rule.
final class FeatureFixtureTests: XCTestCase {
    func testReproducesFixtureInputWindows() throws {
        let dir = URL(fileURLWithPath: RealCandles.directory).deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/lstm")
        guard let windowsData = FileManager.default.contents(atPath: dir.appendingPathComponent("windows.json").path),
              let statsData = FileManager.default.contents(atPath: dir.appendingPathComponent("feature_stats.json").path)
        else { throw XCTSkip("fixtures not found under \(dir.path)") }
        let windows = try XCTUnwrap((try JSONSerialization.jsonObject(with: windowsData) as? [String: Any])?["windows"] as? [[String: Any]])
        let stats = try XCTUnwrap(try JSONSerialization.jsonObject(with: statsData) as? [String: Any])

        // Row of each candle timestamp in the batch tables of the two coins.
        var tables: [String: (FeatureTable, [Int64: Int])] = [:]
        for coin in ["BTCUSDT", "ETHUSDT"] {
            let candles = try RealCandles.load(coin)
            let table = try RealCandles.table(coin)
            var rowOf: [Int64: Int] = [:]
            for r in 0..<table.rowCount { rowOf[candles[table.candleIndices[r]].timestamp] = r }
            tables[coin] = (table, rowOf)
        }

        for width in [19, 23] {
            let inputs = try NumpyFloat32(dir.appendingPathComponent("inputs_f\(width).npy").path)
            XCTAssertEqual(inputs.shape, [544, 64, width])
            let mean = try XCTUnwrap(stats["mean_\(width)"] as? [Double])
            let std = try XCTUnwrap(stats["std_\(width)"] as? [Double])
            var exact = 0, total = 0, beyondOneUlp = 0
            var differing = [Int](repeating: 0, count: width)
            for w in 0..<512 {
                let coin = try XCTUnwrap(windows[w]["coin"] as? String)
                let end = try XCTUnwrap(windows[w]["end_timestamp"] as? String)
                let (table, rowOf) = try XCTUnwrap(tables[coin])
                let last = try XCTUnwrap(rowOf[try XCTUnwrap(isoSeconds(end))], "\(coin) \(end) has no feature row")
                XCTAssertEqual(table.positionsInRun[last] - table.positionsInRun[last - 63], 63, "window \(w) crosses a gap")
                for t in 0..<64 {
                    for j in 0..<width {
                        let mine = Float((table[last - 63 + t, j] - mean[j]) / std[j])
                        let theirs = inputs.values[(w * 64 + t) * width + j]
                        total += 1
                        if mine.bitPattern == theirs.bitPattern {
                            exact += 1
                        } else {
                            differing[j] += 1
                            if (mine - theirs).magnitude > theirs.ulp { beyondOneUlp += 1 }
                        }
                    }
                }
            }
            print("inputs_f\(width): \(exact) of \(total) values bit-identical; differing per feature \(differing)")
            XCTAssertEqual(beyondOneUlp, 0, "values more than 1 float32 ulp from the fixture")
            // Only the log features (log returns 0-3, volatilities 4-5, log volume 16) may differ,
            // in the last bit: NumPy's log is not DMath's, and the fixture takes log returns as
            // log(c_t) - log(c_{t-k}). Everything else is the same arithmetic in the same order.
            for j in 0..<width where !(0...5).contains(j) && j != 16 {
                XCTAssertEqual(differing[j], 0, "feature \(j)")
            }
            XCTAssertGreaterThan(Double(exact), 0.9999 * Double(total))
        }
    }

    /// Unix seconds of "YYYY-MM-DDTHH:00:00Z".
    private func isoSeconds(_ s: String) -> Int64? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'"
        return f.date(from: s).map { Int64($0.timeIntervalSince1970) }
    }
}

/// A little-endian float32 .npy array (format version 1 or 2, C order).
struct NumpyFloat32 {
    let shape: [Int]
    let values: [Float]

    init(_ path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw XCTSkip("\(path) not found") }
        let bytes = [UInt8](data)
        guard bytes.count > 10, bytes[0] == 0x93, String(decoding: bytes[1..<6], as: UTF8.self) == "NUMPY" else {
            throw ModelcError(.io, "\(path): not a .npy file")
        }
        let headerLength = bytes[6] == 1 ? Int(bytes[8]) | Int(bytes[9]) << 8
            : Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        let start = bytes[6] == 1 ? 10 : 12
        let header = String(decoding: bytes[start..<start + headerLength], as: UTF8.self)
        guard header.contains("'descr': '<f4'"), header.contains("'fortran_order': False"),
              let open = header.firstIndex(of: "("), let close = header.firstIndex(of: ")") else {
            throw ModelcError(.io, "\(path): expected a C-order <f4 array, header \(header)")
        }
        shape = header[header.index(after: open)..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let body = start + headerLength
        guard bytes.count == body + 4 * count else { throw ModelcError(.io, "\(path): size does not match shape") }
        values = (0..<count).map { i in
            let o = body + 4 * i
            return Float(bitPattern: UInt32(bytes[o]) | UInt32(bytes[o + 1]) << 8 | UInt32(bytes[o + 2]) << 16 | UInt32(bytes[o + 3]) << 24)
        }
    }
}
