import Foundation
import ModelcData
import XCTest

/// What `modelc data check` prints, as text and as JSON.
final class CandleCheckSummaryTests: XCTestCase {
    let text = TestSupport.header + """
        2017-08-17T04:00:00Z,10,11,9,10,1
        2017-08-17T05:00:00Z,10,11,9,10,0
        2017-08-17T09:00:00Z,10,9,11,10,1
        2017-08-17T10:00:00Z,10,11,9,10,1

        """

    func testTextNamesGapsAndProblems() throws {
        let summary = CandleCheckSummary(try TestSupport.check(text, name: "s.csv"))
        XCTAssertEqual(summary.text, """
            s.csv: 4 rows, 2017-08-17T04:00:00Z .. 2017-08-17T10:00:00Z
              container csv, timestamps ISO-8601 UTC, interval 3600 s (inferred)
              gaps: 1, 3 missing candles; largest:
                3 missing from 2017-08-17T06:00:00Z through 2017-08-17T08:00:00Z (resumes at row 3)
              zero-volume candles: 1
              problems: 1 (1 high-below-low); first 1:
                high-below-low: row 3 (line 4), 2017-08-17T09:00:00Z: high 9.0 is below low 11.0
            """)
    }

    func testJSONCarriesCountsAndBothTimeForms() throws {
        let summary = CandleCheckSummary(try TestSupport.check(text, name: "s.csv"), maxGaps: 5, maxProblems: 0)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as! [String: Any]
        XCTAssertEqual(json["clean"] as? Bool, false)
        XCTAssertEqual(json["problemCount"] as? Int, 1)
        XCTAssertEqual(json["problemCounts"] as? [String: Int], ["high-below-low": 1])
        XCTAssertEqual((json["problems"] as? [Any])?.count, 0)
        XCTAssertEqual(json["timestampFormat"] as? String, "iso8601")
        XCTAssertEqual(json["firstUnix"] as? Int, 1_502_942_400)
        XCTAssertEqual(json["missingCandles"] as? Int, 3)
        let gap = try XCTUnwrap((json["largestGaps"] as? [[String: Any]])?.first)
        XCTAssertEqual(gap["start"] as? String, "2017-08-17T06:00:00Z")
        XCTAssertEqual(gap["endUnix"] as? Int, 1_502_956_800)
    }

    /// A given interval that disagrees with the data is pointed out next to its off-grid rows.
    func testAWrongGivenIntervalIsPointedOut() throws {
        let hourly = TestSupport.header + (0..<4).map { "\(1_502_942_400 + $0 * 3600),10,11,9,10,1\n" }.joined()
        let summary = CandleCheckSummary(try TestSupport.check(hourly, interval: 7200))
        XCTAssertEqual(summary.problemCounts, ["off-grid": 2])
        XCTAssertTrue(summary.text.contains("interval 7200 s (given), but the most common step is 3600 s"), summary.text)
        XCTAssertFalse(CandleCheckSummary(try TestSupport.check(hourly, interval: 3600)).text.contains("most common step"))
    }
}
