import ModelcRuntime
import XCTest

@testable import ModelcTraining

final class WalkForwardTests: XCTestCase {
    static let t0: Int64 = 1_704_067_200  // 2024-01-01T00:00:00Z
    static let hour: Int64 = 3_600

    /// `hours` hourly rows from t0 + start hours, all labelled except `unlabelled` (hour offsets).
    static func series(_ name: String, start: Int = 0, hours: Int, unlabelled: Set<Int> = [], skip: Set<Int> = []) -> LabelledSeries {
        let offsets = (start..<(start + hours)).filter { !skip.contains($0) }
        return LabelledSeries(
            name: name, timestamps: offsets.map { t0 + Int64($0) * hour }, labelled: offsets.map { !unlabelled.contains($0) })
    }

    /// Hour offsets (from t0) of a window's rows in one series.
    static func hours(_ rows: [RowRef], _ data: [LabelledSeries], series: Int = 0) -> [Int] {
        rows.filter { $0.series == series }.map { Int((data[$0.series].timestamps[$0.row] - t0) / hour) }
    }

    func testRollingGeometryByHand() throws {
        let data = [Self.series("A", hours: 1_000, unlabelled: [50, 110])]
        let config = WalkForwardConfig(scheme: .rolling, trainSpan: 100 * Self.hour, testSpan: 20 * Self.hour, count: 3)
        let windows = try WalkForward.split(data, config: config)
        XCTAssertEqual(windows.count, 3)
        // Window 1: train hours [20, 120), purge [120, 124), test [124, 144).
        let w = windows[1]
        XCTAssertEqual(
            [w.trainStart, w.trainEnd, w.testStart, w.testEnd], [20, 120, 124, 144].map { Self.t0 + $0 * Self.hour })
        XCTAssertEqual(Self.hours(w.train, data), Array(20..<120).filter { $0 != 50 && $0 != 110 })
        XCTAssertEqual(Self.hours(w.test, data), Array(124..<144))
        XCTAssertEqual(Self.hours(windows[0].test, data), Array(104..<124).filter { $0 != 110 })
        XCTAssertEqual(Self.hours(windows[2].train, data).first, 40)
    }

    func testExpandingGeometryAndAllWindowsThatFit() throws {
        let data = [Self.series("A", hours: 1_000)]
        let config = WalkForwardConfig(
            scheme: .expanding, trainSpan: 100 * Self.hour, testSpan: 20 * Self.hour, purge: 10 * Self.hour)
        let windows = try WalkForward.split(data, config: config)
        // The first window needs 130 h; each further one 20 h more; 1000 h hold 1 + 870 / 20 = 44.
        XCTAssertEqual(windows.count, 44)
        XCTAssertEqual(Self.hours(windows[2].train, data), Array(0..<140))
        XCTAssertEqual(Self.hours(windows[2].test, data), Array(150..<170))
        XCTAssertEqual(Self.hours(windows[43].test, data), Array(970..<990))
    }

    func testPooledSeriesShareTheTimeBoundaries() throws {
        // B starts 30 h later and misses hours 130-139.
        let data = [Self.series("A", hours: 300), Self.series("B", start: 30, hours: 270, skip: Set(130..<140))]
        let config = WalkForwardConfig(trainSpan: 100 * Self.hour, testSpan: 40 * Self.hour, count: 2)
        let windows = try WalkForward.split(data, config: config)
        XCTAssertEqual(Self.hours(windows[0].train, data, series: 1), Array(30..<100))
        XCTAssertEqual(Self.hours(windows[0].test, data, series: 0), Array(104..<144))
        XCTAssertEqual(Self.hours(windows[0].test, data, series: 1), Array(104..<130) + Array(140..<144))
        XCTAssertEqual(Self.hours(windows[1].train, data, series: 1), Array(40..<130))
    }

    func testParameterErrorsSayWhatIsWrong() {
        let data = [Self.series("BTCUSDT", hours: 1_000)]
        let h = Self.hour
        let cases: [(WalkForwardConfig, String)] = [
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: 20 * h, purge: 3 * h),
             "purge 3 h is shorter than the label horizon (4 candles × 1 h = 4 h)"),
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: 20 * h, count: 50),
             "not enough data for 50 windows: they need 1104 h (train 100 h + purge 4 h + test 20 h + 49 × step 20 h) "
                + "from 2024-01-01T00:00:00Z, but the last candle closes at 2024-02-11T16:00:00Z (1000 h available); 44 windows fit"),
            (WalkForwardConfig(trainSpan: 990 * h, testSpan: 20 * h), "not enough data for 1 window"),
            (WalkForwardConfig(trainSpan: 0, testSpan: 20 * h), "train span must be positive"),
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: -5), "test span must be positive"),
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: 20 * h, step: 0), "step must be positive"),
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: 20 * h, count: 0), "window count must be at least 1"),
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: 20 * h, horizon: 0), "horizon must be at least 1"),
            (WalkForwardConfig(trainSpan: 100 * h, testSpan: 20 * h, interval: 0), "interval must be positive"),
        ]
        for (config, expected) in cases {
            XCTAssertThrowsError(try WalkForward.split(data, config: config)) {
                XCTAssertTrue(ForwardLabelsTests.message($0).contains(expected), ForwardLabelsTests.message($0))
            }
        }
    }

    func testDataErrorsNameTheSeries() {
        let config = WalkForwardConfig(trainSpan: 10 * Self.hour, testSpan: 5 * Self.hour)
        var unsorted = Self.series("ETHUSDT", hours: 100)
        unsorted.timestamps.swapAt(7, 8)
        var short = Self.series("SOLUSDT", hours: 100)
        short.labelled.removeLast()
        let hole = Self.series("BNBUSDT", hours: 100, skip: Set(20..<40))
        let cases: [([LabelledSeries], String)] = [
            ([], "no series"),
            ([LabelledSeries(name: "X", timestamps: [], labelled: [])], "every series is empty"),
            ([unsorted], "ETHUSDT: row 8 (2024-01-01T07:00:00Z) is not after row 7"),
            ([short], "SOLUSDT has 100 timestamps but 99 label flags"),
            ([hole], "walk-forward window 2: no labelled test rows in [2024-01-02T00:00:00Z, 2024-01-02T05:00:00Z)"),
        ]
        for (data, expected) in cases {
            XCTAssertThrowsError(try WalkForward.split(data, config: config)) {
                XCTAssertTrue(ForwardLabelsTests.message($0).contains(expected), ForwardLabelsTests.message($0))
            }
        }
    }

    /// The real BTC and ETH files pooled, rolling and expanding: by brute force over the actual
    /// rows, no hour that a training row's label reads (candles t … t+H of its series) is the hour
    /// of any test row of either symbol, and every row is where its window says.
    func testNoTrainingLabelSeesATestPriceOnRealData() throws {
        let horizon = 4
        var data: [LabelledSeries] = []
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            let candles = try RealCandles.candles(symbol)
            let labels = try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(horizon: horizon))
            data.append(LabelledSeries(name: symbol, timestamps: candles.map(\.timestamp), labelled: labels.isLabelled))
        }
        let day: Int64 = 86_400
        let origin = data.map { $0.timestamps[0] }.min()!
        let slots = Int((data.map { $0.timestamps.last! }.max()! - origin) / Self.hour) + horizon + 1
        for config in [
            WalkForwardConfig(scheme: .rolling, trainSpan: 365 * day, testSpan: 90 * day, horizon: horizon),
            WalkForwardConfig(scheme: .expanding, trainSpan: 730 * day, testSpan: 365 * day, horizon: horizon),
        ] {
            let windows = try WalkForward.split(data, config: config)
            XCTAssertGreaterThan(windows.count, 5, "\(config.scheme)")
            for w in windows {
                var readByTraining = [Bool](repeating: false, count: slots)
                for ref in w.train {
                    let s = data[ref.series]
                    guard s.labelled[ref.row], s.timestamps[ref.row] >= w.trainStart, s.timestamps[ref.row] < w.trainEnd else {
                        return XCTFail("\(config.scheme) window \(w.index): training row \(ref) is not a labelled row of the span")
                    }
                    for k in ref.row...(ref.row + horizon) { readByTraining[Int((s.timestamps[k] - origin) / Self.hour)] = true }
                }
                for ref in w.test {
                    let open = data[ref.series].timestamps[ref.row]
                    guard data[ref.series].labelled[ref.row], open >= w.testStart, open < w.testEnd else {
                        return XCTFail("\(config.scheme) window \(w.index): test row \(ref) is not a labelled row of the span")
                    }
                    guard !readByTraining[Int((open - origin) / Self.hour)] else {
                        return XCTFail("\(config.scheme) window \(w.index): test row \(ref) is read by a training label")
                    }
                }
                // Tight: the purge is exactly H candles, so the last training label ends one hour before testing.
                let lastRead = readByTraining.lastIndex(of: true)!
                XCTAssertEqual(origin + Int64(lastRead) * Self.hour, w.testStart - Self.hour, "\(config.scheme) window \(w.index)")
            }
            XCTAssertNoThrow(try LeakageCheck.verify(windows, series: data, horizon: horizon, interval: 3_600))
        }
    }
}
