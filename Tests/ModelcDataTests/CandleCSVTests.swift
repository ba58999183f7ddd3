import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// File structure: header, line endings, field counts, empty files and lines.
final class CandleCSVTests: XCTestCase {
    let rows = "2017-08-17T04:00:00Z,4261.48,4313.62,4261.32,4308.83,47.181009\n2017-08-17T05:00:00Z,4308.83,4328.69,4291.37,4315.32,23.234916\n"

    func testCRLFBOMAndNoFinalNewlineReadTheSame() throws {
        let plain = try TestSupport.parse(TestSupport.header + rows)
        let crlf = try TestSupport.parse((TestSupport.header + rows).replacingOccurrences(of: "\n", with: "\r\n"))
        let bom = try TestSupport.parse("\u{FEFF}" + TestSupport.header + rows)
        let unterminated = try TestSupport.parse(TestSupport.header + rows.dropLast())
        let trailingBlank = try TestSupport.parse(TestSupport.header + rows + "\n\r\n")
        XCTAssertEqual(plain.candles.count, 2)
        XCTAssertEqual(plain.candles[1], Candle(timestamp: 1_502_946_000, open: 4308.83, high: 4328.69, low: 4291.37, close: 4315.32, volume: 23.234916))
        for other in [crlf, bom, unterminated, trailingBlank] {
            XCTAssertEqual(other.candles, plain.candles)
            XCTAssertEqual(other.malformed.total, 0)
            XCTAssertEqual(other.rowCount, 2)
            XCTAssertEqual(other.lines, [2, 3])
        }
    }

    func testMissingHeaderSaysSo() {
        guard case .format(let file, let line, let message)? = TestSupport.error({ try TestSupport.parse(rows, name: "nohead.csv") })
        else { return XCTFail() }
        XCTAssertEqual(file, "nohead.csv")
        XCTAssertEqual(line, 1)
        XCTAssertTrue(message.hasPrefix("missing header"), message)
        let description = CandleDataError.format(file: file, line: line, message: message).description
        XCTAssertTrue(description.hasPrefix("nohead.csv: line 1: missing header"), description)
    }

    /// A header must name all six fields (any case, any order: `CandleCSVLayoutTests`).
    func testHeaderMustNameEveryField() {
        let cases: [(String, String)] = [
            ("timestamp,open,high,low,close", "no \"volume\" column (any case)"),
            ("timestamp, open,high,low,close,volume", "no \"open\" column (any case)"),
            ("stamp,open,high,low,close,volume", "no timestamp (\"timestamp\", \"date\""),
        ]
        for (header, expected) in cases {
            guard case .format(_, let line, let message)? = TestSupport.error({ try TestSupport.parse(header + "\n" + rows) })
            else { XCTFail(header); continue }
            XCTAssertEqual(line, 1)
            XCTAssertTrue(message.contains(expected), "\(header): \(message)")
        }
    }

    func testEmptyFileAndHeaderOnly() {
        for text in ["", "\n", "\u{FEFF}"] {
            guard case .format(_, _, let message)? = TestSupport.error({ try TestSupport.parse(text) }) else { XCTFail(); continue }
            XCTAssertTrue(message.contains("the file is empty"), message)
        }
        guard case .format(_, _, let message)? = TestSupport.error({ try TestSupport.parse(TestSupport.header) }) else { return XCTFail() }
        XCTAssertTrue(message.contains("no data rows"), message)
    }

    func testShortLongAndEmptyRowsAreMalformedRowsWithLines() throws {
        let table = try TestSupport.parse(TestSupport.header + """
            2017-08-17T04:00:00Z,1,1,1,1,1
            2017-08-17T05:00:00Z,1,1,1,1

            2017-08-17T06:00:00Z,1,1,1,1,1,9
            2017-08-17T07:00:00Z,1,1,1,1,1
            
            """)
        XCTAssertEqual(table.candles.map(\.timestamp), [1_502_942_400, 1_502_953_200])
        XCTAssertEqual(table.lines, [2, 6])
        XCTAssertEqual(table.rowCount, 5)
        let problems = table.malformed.problems
        XCTAssertEqual(problems.map(\.row), [2, 3, 4])
        XCTAssertEqual(problems.map(\.line), [3, 4, 5])
        XCTAssertEqual(problems[0].message, "expected 6 fields (as line 1), found 5")
        XCTAssertEqual(problems[1].message, "empty line")
        XCTAssertEqual(problems[2].message, "expected 6 fields (as line 1), found 7")
    }

    /// A bad timestamp and a bad number in one row: one problem naming both.
    func testEveryBadFieldOfARowIsNamed() throws {
        let table = try TestSupport.parse(TestSupport.header + "2017-08-17T04:00:00Z,1,1,1,1,1\n2017-08-17T05:00,x,1,1,1,1\n")
        XCTAssertEqual(table.malformed.problems.first?.message,
                       "timestamp \"2017-08-17T05:00\" is not an ISO-8601 UTC timestamp like 2017-08-17T04:00:00Z; open \"x\" is not a decimal number")
    }

    func testReadingFromDiskNamesTheFile() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("c.csv").path
        try Data((TestSupport.header + rows).utf8).write(to: URL(fileURLWithPath: path))
        let table = try CandleLoader.read(path: path)
        XCTAssertEqual(table.file, path)
        XCTAssertEqual(table.container, .csv)
        XCTAssertEqual(table.candles.count, 2)

        let missing = folder.appendingPathComponent("absent.csv").path
        guard case .io(let file, let reason)? = TestSupport.error({ try CandleLoader.read(path: missing) }) else { return XCTFail() }
        XCTAssertEqual(file, missing)
        XCTAssertTrue(reason.contains("no such file"), reason)
    }
}

extension CandleCSVTests {
    /// Every row short: the read stops, quoting the first row's problem.
    func testNoReadableRowAtAll() {
        guard case .format(_, _, let message)? = TestSupport.error({ try TestSupport.parse(TestSupport.header + "1,2\n3,4\n") })
        else { return XCTFail() }
        XCTAssertEqual(message, "none of the 2 data rows could be read: row 1 (line 2): expected 6 fields (as line 1), found 2")
    }

    /// A long junk field is quoted cut short, not printed whole.
    func testLongFieldsAreCutInMessages() throws {
        let junk = String(repeating: "x", count: 10_000)
        let table = try TestSupport.parse(TestSupport.header + "1502942400,1,1,1,1,\(junk)\n")
        XCTAssertEqual(table.malformed.problems.first?.message, "volume \"\(String(repeating: "x", count: 40))...\" is not a decimal number")
    }
}
