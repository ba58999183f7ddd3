@testable import ModelcPipeline
import XCTest

/// Axis ranges and labels, worked out by hand.
final class ReportAxisTests: XCTestCase {
    func testNiceTicksAreRoundStepsCoveringTheData() {
        // 0.0757 / 4 = 0.019 -> step 0.02; -0.0757 rounds down to -0.08.
        let dd = ChartAxis.nice([-0.0757, -0.01], title: "drawdown", anchor: 0, label: ReportFormat.percent)
        XCTAssertEqual(dd.ticks.count, 5)
        for (t, expected) in zip(dd.ticks, [-0.08, -0.06, -0.04, -0.02, 0]) { XCTAssertEqual(t, expected, accuracy: 1e-12) }
        XCTAssertEqual(dd.ticks.map(dd.label), ["-8.00%", "-6.00%", "-4.00%", "-2.00%", "0.00%"])
        // 0.97...1.12: span 0.15 / 4 = 0.0375 -> step 0.05, from 0.95 to 1.15.
        let equity = ChartAxis.nice([1.0, 0.97, 1.12], title: "equity")
        XCTAssertEqual(equity.ticks.map(equity.label), ["0.95", "1", "1.05", "1.1", "1.15"])
        // A flat series still gets round ticks: no drawdown at all is padded by 0.01 each way, step 0.005.
        let flat = ChartAxis.nice([0, 0], title: "drawdown", anchor: 0, label: ReportFormat.percent)
        XCTAssertEqual(flat.ticks.map(flat.label), ["-1.00%", "-0.50%", "0.00%", "0.50%", "1.00%"])
    }

    func testNumbersAndDates() {
        XCTAssertEqual(ReportFormat.number(-0.0), "0.0000")
        XCTAssertEqual(ReportFormat.number(.nan), "n/a")
        XCTAssertEqual(ReportFormat.number(0.00012), "1.200e-04")
        XCTAssertEqual(ReportFormat.percent(-0.0), "0.00%")
        XCTAssertEqual(ReportFormat.date(951_782_400), "2000-02-29")  // a leap day
        XCTAssertEqual(ReportFormat.dateTime(1_704_067_199), "2023-12-31 23:59 UTC")
    }
}
