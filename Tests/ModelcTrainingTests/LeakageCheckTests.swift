import ModelcRuntime
import XCTest

@testable import ModelcTraining

final class LeakageCheckTests: XCTestCase {
    static let hour = WalkForwardTests.hour
    static let t0 = WalkForwardTests.t0

    /// A hand-made window over series of hourly rows (row k opens at hour k).
    static func window(train: [RowRef], test: [RowRef], testFrom: Int64 = 104, testTo: Int64 = 124) -> WalkForwardWindow {
        WalkForwardWindow(
            index: 3, trainStart: t0, trainEnd: t0 + 100 * hour, testStart: t0 + testFrom * hour, testEnd: t0 + testTo * hour,
            train: train, test: test)
    }

    static func rows(_ range: Range<Int>, series: Int = 0) -> [RowRef] { range.map { RowRef(series: series, row: $0) } }

    static let data = [WalkForwardTests.series("BTCUSDT", hours: 200), WalkForwardTests.series("ETHUSDT", hours: 200)]

    func verify(_ window: WalkForwardWindow) throws {
        try LeakageCheck.verify([window], series: Self.data, horizon: 4, interval: Self.hour)
    }

    func testAPurgeOfHCandlesPasses() {
        XCTAssertNoThrow(try verify(Self.window(train: Self.rows(0..<100), test: Self.rows(104..<124))))
    }

    func testAPurgeOneCandleShortIsCaughtAndNamed() {
        let w = Self.window(train: Self.rows(0..<100), test: Self.rows(103..<123), testFrom: 103, testTo: 123)
        XCTAssertThrowsError(try verify(w)) {
            let m = ForwardLabelsTests.message($0)
            XCTAssertTrue(m.contains("leakage: walk-forward window 3: 1 training row(s)"), m)
            XCTAssertTrue(m.contains("test span [2024-01-05T07:00:00Z, 2024-01-06T03:00:00Z) (earliest test row: BTCUSDT row 103)"), m)
            XCTAssertTrue(m.contains("first: BTCUSDT row 99, label window [2024-01-05T03:00:00Z, 2024-01-05T07:00:00Z] for horizon 4"), m)
        }
    }

    func testTrainingRowsInsideThePurgeOrTheTestSpanAreCaught() {
        for extra in [101, 110] {
            XCTAssertThrowsError(try verify(Self.window(train: Self.rows(0..<100) + [RowRef(series: 0, row: extra)], test: Self.rows(104..<124)))) {
                XCTAssertTrue(ForwardLabelsTests.message($0).contains("first: BTCUSDT row \(extra),"), ForwardLabelsTests.message($0))
            }
        }
    }

    func testATestRowOutsideTheDeclaredSpanStillCounts() {
        // The window claims its test starts at hour 104 but lists ETH row 101: BTC row 97's label reads hour 101.
        let w = Self.window(train: Self.rows(0..<98), test: [RowRef(series: 1, row: 101)] + Self.rows(104..<124))
        XCTAssertThrowsError(try verify(w)) {
            let m = ForwardLabelsTests.message($0)
            XCTAssertTrue(m.contains("(earliest test row: ETHUSDT row 101); first: BTCUSDT row 97,"), m)
        }
    }

    func testPooledSeriesAreCheckedAcrossSymbols() {
        // ETH trains up to hour 102, BTC tests from 104: ETH rows 100-102 read test hours.
        let w = Self.window(train: Self.rows(0..<103, series: 1), test: Self.rows(104..<124, series: 0))
        XCTAssertThrowsError(try verify(w)) {
            XCTAssertTrue(ForwardLabelsTests.message($0).contains("3 training row(s)"), ForwardLabelsTests.message($0))
            XCTAssertTrue(ForwardLabelsTests.message($0).contains("first: ETHUSDT row 100,"), ForwardLabelsTests.message($0))
        }
    }

    func testALabelAcrossAGapReachesThePriceAfterTheGap() {
        // Hours 100-109 missing: row k >= 100 opens at hour k + 10. Rows 98 and 99 are 4 rows before
        // rows 102 and 103 (hours 112 and 113), inside a test span that starts at hour 112, although
        // 4 hours after them (102, 103) is still inside the hole.
        let gapped = [WalkForwardTests.series("SOLUSDT", hours: 200, skip: Set(100..<110))]
        let w = WalkForwardWindow(
            index: 0, trainStart: Self.t0, trainEnd: Self.t0 + 100 * Self.hour, testStart: Self.t0 + 112 * Self.hour,
            testEnd: Self.t0 + 130 * Self.hour, train: Self.rows(0..<100), test: Self.rows(102..<120))
        XCTAssertThrowsError(try LeakageCheck.verify([w], series: gapped, horizon: 4, interval: Self.hour)) {
            let m = ForwardLabelsTests.message($0)
            XCTAssertTrue(m.contains("2 training row(s)"), m)
            XCTAssertTrue(m.contains("SOLUSDT row 98, label window [2024-01-05T02:00:00Z, 2024-01-05T16:00:00Z]"), m)
        }
    }

    func testRowsThatDoNotExistAreRefused() {
        XCTAssertThrowsError(try verify(Self.window(train: [RowRef(series: 2, row: 0)], test: Self.rows(104..<124)))) {
            XCTAssertTrue(ForwardLabelsTests.message($0).contains("row 0 of series 2, which does not exist"), ForwardLabelsTests.message($0))
        }
        XCTAssertThrowsError(try LeakageCheck.verify([], series: Self.data, horizon: 0, interval: Self.hour))
    }
}
