import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// Timestamp forms, checked against Foundation's ISO8601DateFormatter (an independent parser).
final class TimestampTests: XCTestCase {
    /// Random whole seconds from 2000 to 2100 (the accepted years): Foundation's text parses to the same second, and
    /// our text for it is Foundation's text.
    func testISO8601AgreesWithFoundationOnASample() throws {
        let formatter = ISO8601DateFormatter()
        var rng = SplitMix64(seed: 7)
        var lines = TestSupport.header
        var expected: [Int64] = []
        for _ in 0..<2000 {
            let seconds = Int64.random(in: 946_684_800..<4_102_444_800, using: &rng)
            let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            XCTAssertEqual(UTCTime.iso8601(seconds), text)
            let back = try XCTUnwrap(formatter.date(from: text)).timeIntervalSince1970
            expected.append(Int64(back))
            lines += "\(text),1,1,1,1,1\n"
        }
        let table = try TestSupport.parse(lines)
        XCTAssertEqual(table.timestampFormat, .iso8601)
        XCTAssertEqual(table.candles.map(\.timestamp), expected)
    }

    /// Leap days, month ends and century rules, each compared with Foundation.
    func testCalendarEdgesAgreeWithFoundation() throws {
        let formatter = ISO8601DateFormatter()
        let texts = ["2000-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2000-03-01T00:00:00Z", "2024-02-29T12:00:00Z",
                     "2099-02-28T23:00:00Z", "2099-03-01T00:00:00Z", "2038-01-19T03:14:08Z", "2100-01-01T00:00:00Z"]
        let table = try TestSupport.parse(TestSupport.header + texts.map { "\($0),1,1,1,1,1\n" }.joined())
        for (text, candle) in zip(texts, table.candles) {
            XCTAssertEqual(candle.timestamp, Int64(try XCTUnwrap(formatter.date(from: text)).timeIntervalSince1970), text)
        }
    }

    func testUTCOffsetAndSpaceFormsMeanTheSameTime() throws {
        let table = try TestSupport.parse(TestSupport.header + """
            2017-08-17T04:00:00Z,1,1,1,1,1
            2017-08-17T05:00:00+00:00,1,1,1,1,1
            2017-08-17 06:00:00Z,1,1,1,1,1
            2017-08-17 07:00:00+00:00,1,1,1,1,1

            """)
        XCTAssertEqual(table.candles.map(\.timestamp), [1_502_942_400, 1_502_946_000, 1_502_949_600, 1_502_953_200])
        XCTAssertEqual(table.malformed.total, 0)
    }

    func testUnixSecondsAndMillisecondsAreDetectedAndStated() throws {
        let iso = try TestSupport.parse(TestSupport.header + "2017-08-17T04:00:00Z,1,2,0.5,1.5,10\n2017-08-17T05:00:00Z,1,2,0.5,1.5,10\n")
        let seconds = try TestSupport.parse(TestSupport.header + "1502942400,1,2,0.5,1.5,10\n1502946000,1,2,0.5,1.5,10\n")
        let millis = try TestSupport.parse(TestSupport.header + "1502942400000,1,2,0.5,1.5,10\n1502946000000,1,2,0.5,1.5,10\n")
        XCTAssertEqual(seconds.timestampFormat, .unixSeconds)
        XCTAssertEqual(millis.timestampFormat, .unixMilliseconds)
        XCTAssertEqual(seconds.candles, iso.candles)
        XCTAssertEqual(millis.candles, iso.candles)
        let summary = CandleCheckSummary(try CandleValidator.check(millis))
        XCTAssertEqual(summary.timestampFormat, "unix-milliseconds")
        XCTAssertTrue(summary.text.contains("timestamps unix milliseconds"), summary.text)
    }

    /// Each row must use the first row's form; the message says which form was expected.
    func testMixedFormsAreMalformedRows() throws {
        let table = try TestSupport.parse(TestSupport.header + """
            1502942400,1,1,1,1,1
            1502946000000,1,1,1,1,1
            2017-08-17T06:00:00Z,1,1,1,1,1
            1502953200,1,1,1,1,1

            """)
        XCTAssertEqual(table.candles.map(\.timestamp), [1_502_942_400, 1_502_953_200])
        let problems = table.malformed.problems
        XCTAssertEqual(problems.map(\.row), [2, 3])
        XCTAssertEqual(problems.map(\.line), [3, 4])
        XCTAssertTrue(problems[0].message.contains("looks like unix milliseconds, but this file's timestamps are unix seconds"), problems[0].message)
        XCTAssertTrue(problems[1].message.contains("is not a unix time in whole seconds"), problems[1].message)

        let iso = try TestSupport.parse(TestSupport.header + "2017-08-17T04:00:00Z,1,1,1,1,1\n1502946000,1,1,1,1,1\n")
        XCTAssertTrue(iso.malformed.problems[0].message.contains("is a unix time, but this file's timestamps are ISO-8601"))
    }

    func testRefusedTimestampsSayWhy() throws {
        let cases: [(String, String)] = [
            ("2017-08-17T04:00:00.000Z", "fractional seconds"),
            ("2017-08-17T04:00:00", "no time zone"),
            ("2017-08-17T04:00:00+01:00", "not in UTC"),
            ("2017-08-17T04:00:00-00:00", "not in UTC"),
            ("2017-08-17T04:00:00z", "not in UTC"),
            ("2017-13-17T04:00:00Z", "not a valid date"),
            ("2017-02-29T04:00:00Z", "not a valid date"),
            ("2017-08-17T24:00:00Z", "not a valid date"),
            ("2016-12-31T23:59:60Z", "not a valid date"),
            ("2017-8-17T04:00:00Z", "not an ISO-8601 UTC timestamp"),
            ("2017-08-17", "not an ISO-8601 UTC timestamp"),
            ("2017/08/17T04:00:00Z", "not an ISO-8601 UTC timestamp"),
        ]
        for (text, reason) in cases {
            let table = try TestSupport.parse(TestSupport.header + "2017-08-17T03:00:00Z,1,1,1,1,1\n\(text),1,1,1,1,1\n")
            let problem = try XCTUnwrap(table.malformed.problems.first, text)
            XCTAssertEqual(problem.row, 2, text)
            XCTAssertEqual(problem.line, 3, text)
            XCTAssertNil(problem.timestamp, text)
            XCTAssertTrue(problem.message.contains("timestamp \"\(text)\"") && problem.message.contains(reason), "\(text): \(problem.message)")
        }
    }

    /// Binance's kline files (microseconds since 2025) and pandas (micro- or nanoseconds): the
    /// same hours as the ISO text, found independently by Foundation.
    func testMicrosecondsAndNanosecondsAreDetectedByMagnitude() throws {
        let hours = ["2025-10-30T08:00:00Z", "2025-10-30T09:00:00Z"]
        let expected = try hours.map { Int64(try XCTUnwrap(ISO8601DateFormatter().date(from: $0)).timeIntervalSince1970) }
        let micros = try TestSupport.parse(TestSupport.header + "1761811200000000,1,2,0.5,1.5,10\n1761814800000000,1,2,0.5,1.5,10\n")
        let nanos = try TestSupport.parse(TestSupport.header + "1761811200000000000,1,2,0.5,1.5,10\n1761814800000000000,1,2,0.5,1.5,10\n")
        XCTAssertEqual(micros.timestampFormat, .unixMicroseconds)
        XCTAssertEqual(nanos.timestampFormat, .unixNanoseconds)
        XCTAssertEqual(micros.candles.map(\.timestamp), expected)
        XCTAssertEqual(nanos.candles.map(\.timestamp), expected)
        let summary = CandleCheckSummary(try CandleValidator.check(micros))
        XCTAssertTrue(summary.text.contains("timestamps unix microseconds") && summary.text.contains("2025-10-30"), summary.text)
    }

    /// A time outside 2000..2100 is a unit or data error: a malformed row naming the row, the
    /// value and the date it would be, never a candle of year 57799 or 1970.
    func testImplausibleTimesAreRefusedWithRowAndValue() throws {
        let cases: [(String, String)] = [
            ("1502942400,1,1,1,1,1\n99999999999", "5138-11-16T09:46:39Z"),
            ("1502942400,1,1,1,1,1\n3600", "1970-01-01T01:00:00Z"),
            ("1502942400000,1,1,1,1,1\n99999999999000", "5138-11-16T09:46:39Z"),
            ("2017-08-17T03:00:00Z,1,1,1,1,1\n1999-12-31T23:00:00Z", "1999-12-31T23:00:00Z"),
            ("2017-08-17T03:00:00Z,1,1,1,1,1\n2100-01-01T01:00:00Z", "2100-01-01T01:00:00Z"),
        ]
        for (rows, date) in cases {
            let table = try TestSupport.parse(TestSupport.header + rows + ",1,1,1,1,1\n")
            XCTAssertEqual(table.candles.count, 1, rows)
            let problem = try XCTUnwrap(table.malformed.problems.first, rows)
            XCTAssertEqual(problem.row, 2, rows)
            let value = rows.split(separator: "\n")[1]
            XCTAssertTrue(problem.message.contains("timestamp \"\(value)\" is \(date), outside the accepted years 2000 to 2099"), problem.message)
        }
        let report = try CandleValidator.check(try TestSupport.parse(TestSupport.header + "3600,1,1,1,1,1\n"))
        XCTAssertFalse(report.isClean)
    }

    func testMillisecondsMustBeWholeSeconds() throws {
        let table = try TestSupport.parse(TestSupport.header + "1502942400000,1,1,1,1,1\n1502946000500,1,1,1,1,1\n")
        XCTAssertTrue(try XCTUnwrap(table.malformed.problems.first).message.contains("not a whole second"))
    }

    func testAnUnrecognisableFirstTimestampStopsTheRead() {
        guard case .format(let file, let line, let message)? = TestSupport.error({ try TestSupport.parse(TestSupport.header + "yesterday,1,1,1,1,1\n", name: "a.csv") })
        else { return XCTFail("expected a format error") }
        XCTAssertEqual(file, "a.csv")
        XCTAssertEqual(line, 2)
        XCTAssertTrue(message.contains("cannot tell the timestamp form from \"yesterday\""), message)
    }
}
