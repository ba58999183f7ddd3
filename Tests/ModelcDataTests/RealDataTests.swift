import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// The eight real Binance files load clean, and their figures match the ones published beside
/// them in shared/data/README.md (computed by someone else) and a separate Python count.
final class RealDataTests: XCTestCase {
    struct Expected {
        var rows: Int
        var first: String
        var last: String
        var missingHours: Int64
    }

    /// The README's per-file table: `| FILE | rows | first | last | missing hours |`.
    func readmeTable() throws -> [String: Expected] {
        let readme = try String(contentsOf: TestSupport.sharedData.appendingPathComponent("README.md"), encoding: .utf8)
        var table: [String: Expected] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("| ") && line.contains(".csv") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            table[cells[0]] = Expected(rows: Int(cells[1])!, first: cells[2], last: cells[3], missingHours: Int64(cells[4])!)
        }
        return table
    }

    /// Each real file loaded once for the whole class (a debug-build load takes a few tenths
    /// of a second).
    static let loaded: [String: Result<LoadedCandles, CandleDataError>] = Dictionary(uniqueKeysWithValues:
        ["ADAUSDT", "BNBUSDT", "BTCUSDT", "DOGEUSDT", "ETHUSDT", "LTCUSDT", "SOLUSDT", "XRPUSDT"].map { symbol in
            (symbol, Result { () throws(CandleDataError) in
                try CandleLoader.load(path: TestSupport.sharedData.appendingPathComponent("ohlcv/\(symbol)_1h.csv").path)
            })
        })

    func loaded(_ symbol: String) throws -> LoadedCandles {
        try XCTUnwrap(Self.loaded[symbol], symbol).get()
    }

    /// Gap counts from an independent Python script (a set of timestamps walked hour by hour,
    /// counting maximal runs of absent hours); the README lists missing hours, not gaps.
    let gapCounts = ["ADAUSDT": 25, "BNBUSDT": 27, "BTCUSDT": 28, "DOGEUSDT": 18,
                     "ETHUSDT": 28, "LTCUSDT": 27, "SOLUSDT": 10, "XRPUSDT": 25]

    func testAllEightFilesLoadAndMatchTheReadme() throws {
        let table = try readmeTable()
        XCTAssertEqual(table.count, 8, "README table")
        for (name, expected) in table.sorted(by: { $0.key < $1.key }) {
            let loaded = try loaded(String(name.prefix { $0 != "_" }))
            XCTAssertEqual(loaded.report.file, TestSupport.sharedData.appendingPathComponent("ohlcv/\(name)").path)
            let report = loaded.report
            XCTAssertEqual(report.rows, expected.rows, name)
            XCTAssertEqual(loaded.candles.count, expected.rows, name)
            XCTAssertEqual(report.first.map(UTCTime.iso8601), expected.first, name)
            XCTAssertEqual(report.last.map(UTCTime.iso8601), expected.last, name)
            XCTAssertEqual(report.missingCandles, expected.missingHours, name)
            XCTAssertEqual(report.gaps.count, gapCounts[String(name.prefix { $0 != "_" })], name)
            XCTAssertEqual(report.interval, 3600, name)
            XCTAssertEqual(report.intervalSource, .inferred, name)
            XCTAssertEqual(report.timestampFormat, .iso8601, name)
            XCTAssertTrue(report.isClean, "\(name): \(report.problems.problems.prefix(3))")
            XCTAssertGreaterThan(report.zeroVolumeCandles, 0, "\(name): the README says outages left zero-volume candles")

            // One run per gap plus one, covering every row, each run hour by hour.
            XCTAssertEqual(loaded.runs.count, report.gaps.count + 1, name)
            XCTAssertEqual(loaded.runs.map(\.count).reduce(0, +), expected.rows, name)
            XCTAssertEqual(loaded.runs.first?.lowerBound, 0, name)
            for (a, b) in zip(loaded.runs, loaded.runs.dropFirst()) {
                XCTAssertEqual(a.upperBound, b.lowerBound, name)
                XCTAssertGreaterThan(loaded.candles[b.lowerBound].timestamp - loaded.candles[a.upperBound - 1].timestamp, 3600, name)
            }
        }
    }

    /// "the largest, 33 hours, before 2018-02-09 10:00; BNB has a 75-hour hole there".
    func testLargestGapsAreTheOnesTheReadmeNames() throws {
        let btc = try loaded("BTCUSDT").report
        let largest = try XCTUnwrap(btc.largestGaps(1).first)
        XCTAssertEqual(largest.missing, 33)
        XCTAssertEqual(UTCTime.iso8601(largest.end + 3600), "2018-02-09T10:00:00Z")
        XCTAssertEqual(UTCTime.iso8601(largest.start), "2018-02-08T01:00:00Z")

        let bnb = try loaded("BNBUSDT").report
        let hole = try XCTUnwrap(bnb.largestGaps(1).first)
        XCTAssertEqual(hole.missing, 75)
        XCTAssertEqual(UTCTime.iso8601(hole.start), "2018-02-08T01:00:00Z")
    }

    /// Spot values read straight from the file's text (first and last line of BTC).
    func testValuesAreTheNearestDoublesToTheText() throws {
        let loaded = try loaded("BTCUSDT")
        XCTAssertEqual(loaded.candles.first, Candle(timestamp: 1_502_942_400, open: 4261.48, high: 4313.62, low: 4261.32, close: 4308.83, volume: 47.181009))
        let lastTime = try XCTUnwrap(ISO8601DateFormatter().date(from: "2025-11-15T23:00:00Z")).timeIntervalSince1970
        XCTAssertEqual(loaded.candles.last, Candle(timestamp: Int64(lastTime), open: 95619.63, high: 95694.01, low: 95493.96, close: 95596.24, volume: 239.76661))
    }
}
