import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// JSON candle lists (freqtrade's `.json`, ccxt's `fetch_ohlcv`) and their gzipped form
/// (freqtrade's `.jsongz`), read through `CandleLoader` as the CLI reads them. Expected candles
/// are the rows of ../shared/data/ohlcv/BTCUSDT_1h.csv at the same hours.
final class CandleJSONTests: XCTestCase {
    /// BTCUSDT 1h, 2023-10-27 00:00 to 02:00 UTC as freqtrade writes it: pandas
    /// `to_json(orient="values")` of date (unix ms), open, high, low, close, volume.
    static let freqtradeJSON = "[[1698364800000,34151.66,34171.28,33972.39,34015.27,908.27901],"
        + "[1698368400000,34015.27,34054.48,33780.0,33848.47,1439.61708],"
        + "[1698372000000,33848.47,34142.63,33810.0,34088.57,1054.39547]]"

    var folder: URL!

    override func setUpWithError() throws { folder = try TestSupport.temporaryFolder() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// `name` gzipped by the system's gzip tool (an independent writer of the format).
    func gzip(_ text: String, _ name: String) throws -> String {
        let plain = try write(text, name)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-n", "-S", "gz", plain]  // BTC_USDT-1h.json -> BTC_USDT-1h.jsongz
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        return plain + "gz"
    }

    func testFreqtradeJSON() throws {
        let table = try CandleLoader.read(path: write(Self.freqtradeJSON, "BTC_USDT-1h.json"))
        XCTAssertEqual(table.candles, CandleCSVLayoutTests.sharedCandles)
        XCTAssertEqual(table.container, .json)
        XCTAssertEqual(table.timestampFormat, .unixMilliseconds)
        XCTAssertEqual(table.rowCount, 3)
        XCTAssertEqual(table.malformed.total, 0)
    }

    /// ccxt's `fetch_ohlcv` list, dumped by `json.dumps` (spaces after commas, integer prices).
    func testCcxtList() throws {
        let text = "[[1698364800000, 34151.66, 34171.28, 33972.39, 34015.27, 908.27901], [1698368400000, 34015.27, 34054.48, 33780, 33848.47, 1439.61708]]"
        let table = try CandleLoader.read(path: write(text, "ohlcv.json"))
        XCTAssertEqual(table.candles, Array(CandleCSVLayoutTests.sharedCandles.prefix(2)))
    }

    func testJsongzIsInflated() throws {
        let path = try gzip(Self.freqtradeJSON, "BTC_USDT-1h.json")
        XCTAssertTrue(path.hasSuffix(".jsongz"))
        let table = try CandleLoader.read(path: path)
        XCTAssertEqual(table.candles, CandleCSVLayoutTests.sharedCandles)
        XCTAssertEqual(table.layout, "gzip")
        let report = try CandleLoader.check(path: path)
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(report.interval, 3600)
    }

    /// A gzipped CSV (pandas `to_csv(compression="gzip")`) is read as the CSV inside.
    func testGzippedCSV() throws {
        let path = try gzip(TestSupport.header + "2023-10-27T00:00:00Z,34151.66,34171.28,33972.39,34015.27,908.27901\n", "c.csv")
        XCTAssertEqual(try CandleLoader.read(path: path).candles, [CandleCSVLayoutTests.sharedCandles[0]])
    }

    func testTruncatedGzipIsRefused() throws {
        let path = try gzip(Self.freqtradeJSON, "BTC_USDT-1h.json")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 12).write(to: URL(fileURLWithPath: path))
        guard case .format(let file, nil, let message)? = TestSupport.error({ try CandleLoader.read(path: path) }) else { return XCTFail() }
        XCTAssertEqual(file, path)
        XCTAssertTrue(message.contains("gzip"), message)
    }

    /// NaN (pandas writes `null`) or a short row is a malformed row with its number; the rest is read.
    func testBadRowsAreProblemsWithTheirRow() throws {
        let text = "[[1698364800000,34151.66,34171.28,33972.39,34015.27,908.27901],[1698368400000,null,34054.48,33780.0,33848.47,1439.61708],"
            + "[1698372000000,33848.47,34142.63,33810.0,34088.57],[\"2023-10-27\",1,1,1,1,1]]"
        let table = try CandleLoader.read(path: write(text, "bad.json"))
        XCTAssertEqual(table.candles, [CandleCSVLayoutTests.sharedCandles[0]])
        XCTAssertEqual(table.malformed.problems.map(\.row), [2, 3, 4])
        XCTAssertEqual(table.malformed.problems.map(\.message), [
            "open is null, not a number",
            "expected a list of 6 values (timestamp, open, high, low, close, volume), found a list of 5 values",
            "timestamp the string \"2023-10-27\" is not a unix time in whole seconds, milliseconds, microseconds or nanoseconds",
        ])
        XCTAssertEqual(table.malformed.problems[0].timestamp, 1_698_368_400)
    }

    /// pandas' default `to_json` (orient="columns") is an object: refused saying which orient to use.
    func testAJSONObjectIsRefused() throws {
        let path = try write("{\"date\":{\"0\":1698364800000},\"open\":{\"0\":34151.66}}", "frame.json")
        guard case .format(_, nil, let message)? = TestSupport.error({ try CandleLoader.read(path: path) }) else { return XCTFail() }
        XCTAssertTrue(message.hasPrefix("is a JSON object; modelc reads a JSON list of [time, open, high, low, close, volume] rows"), message)
        XCTAssertTrue(message.contains("orient=\"values\""), message)
    }

    func testInvalidJSONIsRefused() throws {
        let path = try write("[[1698364800000,34151.66,", "cut.json")
        guard case .format(_, nil, let message)? = TestSupport.error({ try CandleLoader.read(path: path) }) else { return XCTFail() }
        XCTAssertTrue(message.hasPrefix("is not valid JSON"), message)
    }
}
