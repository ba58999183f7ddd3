import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// CSV layouts other tools write: Binance's kline files (with and without their header, times in
/// milliseconds or, since 2025, microseconds) and pandas `to_csv` of a freqtrade candle frame.
/// Expected candles are the rows of ../shared/data/ohlcv/BTCUSDT_1h.csv at the same hours.
final class CandleCSVLayoutTests: XCTestCase {
    /// BTCUSDT 1h, 2023-10-27 00:00 to 02:00 UTC, as data.binance.vision serves them (quoted in
    /// binance/binance-public-data#283).
    static let binanceRows = """
        1698364800000,34151.66000000,34171.28000000,33972.39000000,34015.27000000,908.27901000,1698368399999,30937869.62302600,41459,416.48838000,14187002.70550060,0
        1698368400000,34015.27000000,34054.48000000,33780.00000000,33848.47000000,1439.61708000,1698371999999,48834748.13159950,63969,583.65349000,19801364.63410430,0
        1698372000000,33848.47000000,34142.63000000,33810.00000000,34088.57000000,1054.39547000,1698375599999,35873469.77708990,43767,523.76290000,17815957.44816930,0

        """
    /// The same hours in the shared BTCUSDT_1h.csv (lines 54157-54159).
    static let sharedCandles = [
        Candle(timestamp: 1_698_364_800, open: 34151.66, high: 34171.28, low: 33972.39, close: 34015.27, volume: 908.27901),
        Candle(timestamp: 1_698_368_400, open: 34015.27, high: 34054.48, low: 33780.0, close: 33848.47, volume: 1439.61708),
        Candle(timestamp: 1_698_372_000, open: 33848.47, high: 34142.63, low: 33810.0, close: 34088.57, volume: 1054.39547),
    ]

    func testBinanceKlinesWithoutHeader() throws {
        let table = try TestSupport.parse(Self.binanceRows)
        XCTAssertEqual(table.candles, Self.sharedCandles)
        XCTAssertEqual(table.timestampFormat, .unixMilliseconds)
        XCTAssertEqual(table.malformed.total, 0)
        XCTAssertEqual(table.layout, "Binance kline columns, no header")
        // No header: data row 1 is line 1.
        XCTAssertEqual(table.location(of: 2).row, 3)
        XCTAssertEqual(table.location(of: 2).line, 3)
    }

    /// Binance's futures files carry a header line; its names say where the candle is.
    func testBinanceKlinesWithHeader() throws {
        let header = "open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n"
        let table = try TestSupport.parse(header + Self.binanceRows)
        XCTAssertEqual(table.candles, Self.sharedCandles)
        XCTAssertEqual(table.location(of: 0).row, 1)
        XCTAssertEqual(table.location(of: 0).line, 2)
        XCTAssertTrue(table.layout.hasPrefix("header open_time,open,high,low,close,volume; ignored: column 7 \"close_time\""), table.layout)
    }

    /// Since 2025 Binance writes open and close times in microseconds. (The columns after volume
    /// are not read; their values here are placeholders.)
    func testBinanceKlinesInMicroseconds() throws {
        let rows = "1735689600000000,93576.00000000,94509.42000000,93489.03000000,94401.14000000,755.99010000,1735693199999999,70823943.14,115042,362.78,33981525.39,0\n"
            + "1735693200000000,94401.13000000,94408.72000000,93578.77000000,93607.74000000,586.53456000,1735696799999999,55085117.52,94562,260.32,24452371.22,0\n"
        let table = try TestSupport.parse(rows)
        XCTAssertEqual(table.timestampFormat, .unixMicroseconds)
        XCTAssertEqual(table.candles, [  // shared BTCUSDT_1h.csv, 2025-01-01 00:00 and 01:00
            Candle(timestamp: 1_735_689_600, open: 93576.0, high: 94509.42, low: 93489.03, close: 94401.14, volume: 755.9901),
            Candle(timestamp: 1_735_693_200, open: 94401.13, high: 94408.72, low: 93578.77, close: 93607.74, volume: 586.53456),
        ])
    }

    /// A kline row cut short is a malformed row naming the count, not a misread.
    func testAShortKlineRowIsMalformed() throws {
        let rows = Self.binanceRows.split(separator: "\n").map(String.init)
        let table = try TestSupport.parse(rows[0] + "\n" + rows[1].split(separator: ",").prefix(6).joined(separator: ",") + "\n" + rows[2] + "\n")
        XCTAssertEqual(table.candles.count, 2)
        XCTAssertEqual(table.malformed.problems.first?.row, 2)
        XCTAssertEqual(table.malformed.problems.first?.message, "expected 12 fields (as line 1), found 6")
    }

    /// pandas `DataFrame.to_csv()` of a freqtrade candle frame: an unnamed index column, then
    /// `date` with pandas' UTC form.
    func testPandasToCSVOfAFreqtradeFrame() throws {
        let text = """
            ,date,open,high,low,close,volume
            0,2023-10-27 00:00:00+00:00,34151.66,34171.28,33972.39,34015.27,908.27901
            1,2023-10-27 01:00:00+00:00,34015.27,34054.48,33780.0,33848.47,1439.61708
            2,2023-10-27 02:00:00+00:00,33848.47,34142.63,33810.0,34088.57,1054.39547

            """
        let table = try TestSupport.parse(text)
        XCTAssertEqual(table.candles, Self.sharedCandles)
        XCTAssertEqual(table.timestampFormat, .iso8601)
        XCTAssertEqual(table.layout, "header date,open,high,low,close,volume; ignored: column 1 (unnamed)")
    }

    /// Names match in any case and any order; other columns are ignored and named in the layout.
    func testHeaderNamesInAnyCaseAndOrder() throws {
        let table = try TestSupport.parse("Volume,Close,Low,High,Open,Date,Trades\n908.27901,34015.27,33972.39,34171.28,34151.66,1698364800,41459\n")
        XCTAssertEqual(table.candles, [Self.sharedCandles[0]])
        XCTAssertEqual(table.layout, "header Date,Open,High,Low,Close,Volume; ignored: column 7 \"Trades\"")
    }

    func testAmbiguousOrMissingColumnsAreNamed() {
        let row = "\n1698364800,1,1,1,1,1,1\n"
        let cases: [(String, String)] = [
            ("date,timestamp,open,high,low,close,volume", "column 1 \"date\" and column 2 \"timestamp\" could each be the timestamp; keep one"),
            ("timestamp,open,high,low,close,volume,VOLUME", "column 6 \"volume\" and column 7 \"VOLUME\" could each be the volume"),
            ("timestamp,open,high,low,close,vol,x", "no \"volume\" column (any case) in the header \"timestamp,open,high,low,close,vol,x\""),
            ("when,open,high,low,close,volume,x", "no timestamp (\"timestamp\", \"date\", \"datetime\", \"time\", \"open_time\") column"),
        ]
        for (header, expected) in cases {
            guard case .format(_, let line, let message)? = TestSupport.error({ try TestSupport.parse(header + row) })
            else { XCTFail(header); continue }
            XCTAssertEqual(line, 1)
            XCTAssertTrue(message.hasPrefix(expected), "\(header): \(message)")
        }
    }
}
