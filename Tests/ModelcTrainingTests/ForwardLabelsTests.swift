import Foundation
import ModelcRuntime
import XCTest

@testable import ModelcTraining

final class ForwardLabelsTests: XCTestCase {
    /// Hourly candles from 2024-01-01 00:00 UTC with the given closes; `skip` drops those hours.
    static func hourly(_ closes: [Double], skip: Set<Int> = []) -> [Candle] {
        closes.enumerated().filter { !skip.contains($0.offset) }.map { i, c in
            Candle(timestamp: 1_704_067_200 + Int64(i) * 3_600, open: c, high: c, low: c, close: c, volume: 1)
        }
    }

    func testHandComputedLabelsAndTheEndOfTheData() throws {
        // H = 2: row t compares close[t+2] with close[t]; the last two rows have no label.
        let candles = Self.hourly([100, 100, 101, 98, 100, 100])
        let labels = try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(horizon: 2))
        let returns: [Double] = [101.0 / 100 - 1, 98.0 / 100 - 1, 100.0 / 101 - 1, 100.0 / 98 - 1]
        XCTAssertEqual(labels.forwardReturn, returns + [nil, nil])
        XCTAssertEqual(labels.long, [true, false, false, true, nil, nil])  // +1 %, -2 %, -0.99 %, +2.04 %
        XCTAssertEqual(labels.short, [false, true, false, false, nil, nil])  // -2 % <= -1.5 %
        XCTAssertEqual(labels.up, [true, false, false, true, nil, nil])
        XCTAssertEqual(labels.isLabelled, [true, true, true, true, false, false])
    }

    func testThresholdsAreInclusiveAndAnUnchangedCloseIsNotUp() throws {
        // Exact binary fractions: 1.5 / 1 - 1 = 0.5 and 0.5 / 1 - 1 = -0.5 with no rounding.
        let candles = Self.hourly([1, 1.5, 1, 0.5, 1, 1])
        let config = LabelConfig(horizon: 1, longThreshold: 0.5, shortThreshold: -0.5)
        let labels = try ForwardLabels(candles: candles, interval: 3_600, config: config)
        XCTAssertEqual(labels.long, [true, false, false, true, false, nil])
        XCTAssertEqual(labels.short, [false, false, true, false, false, nil])
        XCTAssertEqual(labels.up, [true, false, false, true, false, nil], "1 -> 1 is a tie: not up")
    }

    func testLabelsAcrossAGapAreDropped() throws {
        // Hour 4 is missing: rows whose window [t, t+2] contains it have no label.
        let candles = Self.hourly([10, 11, 12, 13, 14, 15, 16, 17, 18], skip: [4])
        let labels = try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(horizon: 2))
        // Rows: hours 0,1,2,3,5,6,7,8. Labelled: hours 0,1 (reach 2,3), 5,6 (reach 7,8).
        XCTAssertEqual(labels.isLabelled, [true, true, false, false, true, true, false, false])
        XCTAssertEqual(labels.forwardReturn[4], 17.0 / 15 - 1)
    }

    func testIrregularStepsCountAsGapsEvenWhenTheySpanTheHorizon() throws {
        // 30 min then 90 min add up to 2 h, but neither step is one interval.
        let base: Int64 = 1_704_067_200
        let times = [base, base + 3_600, base + 5_400, base + 10_800, base + 14_400]
        let candles = times.map { Candle(timestamp: $0, open: 1, high: 1, low: 1, close: 1, volume: 1) }
        let labels = try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(horizon: 2))
        XCTAssertEqual(labels.isLabelled, [false, false, false, false, false])
        let h1 = try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(horizon: 1))
        XCTAssertEqual(h1.isLabelled, [true, false, false, true, false])
    }

    func testBadInputIsRefusedWithTheRow() {
        let candles = Self.hourly([1, 2, 3, 4])
        XCTAssertThrowsError(try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(horizon: 0))) {
            XCTAssertTrue(Self.message($0).contains("horizon"), Self.message($0))
        }
        XCTAssertThrowsError(try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(longThreshold: 0))) {
            XCTAssertTrue(Self.message($0).contains("LONG threshold"), Self.message($0))
        }
        XCTAssertThrowsError(try ForwardLabels(candles: candles, interval: 3_600, config: LabelConfig(shortThreshold: 0.015))) {
            XCTAssertTrue(Self.message($0).contains("SHORT threshold"), Self.message($0))
        }
        XCTAssertThrowsError(try ForwardLabels(candles: candles, interval: 0)) {
            XCTAssertTrue(Self.message($0).contains("interval"), Self.message($0))
        }
        var unsorted = candles
        unsorted.swapAt(1, 2)
        XCTAssertThrowsError(try ForwardLabels(candles: unsorted, interval: 3_600, series: "BTCUSDT")) {
            XCTAssertTrue(Self.message($0).contains("BTCUSDT: row 2 (2024-01-01T01:00:00Z) is not after row 1"), Self.message($0))
        }
        var millis = candles
        millis[2].timestamp *= 1_000
        XCTAssertThrowsError(try ForwardLabels(candles: millis, interval: 3_600, series: "ETHUSDT")) {
            XCTAssertTrue(Self.message($0).contains("ETHUSDT: row 2 has timestamp 1704074400000, not a unix time in seconds"), Self.message($0))
        }
        var zero = candles
        zero[3].close = 0
        XCTAssertThrowsError(try ForwardLabels(candles: zero, interval: 3_600)) {
            XCTAssertTrue(Self.message($0).contains("row 3 (2024-01-01T03:00:00Z) has close 0.0"), Self.message($0))
        }
    }

    /// The real BTC and ETH files against a naive computation that looks the future candles up by
    /// time: every row for the default H = 4, every third row for H = 1 and H = 24.
    func testRealDataMatchesANaiveLookupByTime() throws {
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            let candles = try RealCandles.candles(symbol)
            var closeAt: [Int64: Double] = [:]
            for c in candles { closeAt[c.timestamp] = c.close }
            for horizon in [1, 4, 24] {
                let config = LabelConfig(horizon: horizon)
                let labels = try ForwardLabels(candles: candles, interval: 3_600, config: config, series: symbol)
                var droppedInside = 0
                for (t, c) in candles.enumerated() where horizon == 4 || t % 3 == 0 {
                    let path = (1...horizon).map { closeAt[c.timestamp + Int64($0) * 3_600] }
                    guard path.allSatisfy({ $0 != nil }), let later = path.last! else {
                        guard labels.forwardReturn[t] == nil, labels.long[t] == nil, labels.short[t] == nil, labels.up[t] == nil else {
                            return XCTFail("\(symbol) H=\(horizon) row \(t) crosses a gap or the end but has a label")
                        }
                        if t + horizon < candles.count { droppedInside += 1 }  // a gap, not the end
                        continue
                    }
                    let r = later / c.close - 1
                    guard labels.forwardReturn[t] == r, labels.long[t] == (r >= 0.01), labels.short[t] == (r <= -0.015),
                        labels.up[t] == (later > c.close)
                    else { return XCTFail("\(symbol) H=\(horizon) row \(t): \(String(describing: labels.forwardReturn[t])) vs \(r)") }
                }
                // 28 gaps in each file: each drops the labels of the rows just before it.
                XCTAssertGreaterThanOrEqual(droppedInside, horizon == 4 ? 28 : 5, "\(symbol) H=\(horizon)")
            }
        }
    }

    /// The 33-hour outage before 2018-02-09 10:00 UTC: the 4 rows before it lose their label,
    /// the row 4 before the gap keeps one, and labels resume right after it.
    func testTheLargestRealGap() throws {
        let candles = try RealCandles.candles("BTCUSDT")
        let labels = try ForwardLabels(candles: candles, interval: 3_600)
        let afterGap = try XCTUnwrap(candles.firstIndex { $0.timestamp == RealCandles.unixTime("2018-02-09T10:00:00Z") })
        XCTAssertEqual(candles[afterGap].timestamp - candles[afterGap - 1].timestamp, 34 * 3_600)
        XCTAssertEqual(labels.isLabelled[(afterGap - 5)...(afterGap + 1)], [true, false, false, false, false, true, true])
    }

    /// The LSTM fixture's 512 real windows: our labels for their last candles must be theirs.
    func testMatchesTheFixtureLabelsOfAll512RealWindows() throws {
        // JSONDecoder, not JSONSerialization: on Linux the latter misrounds some doubles by a few ulps.
        struct Fixture: Decodable {
            struct Window: Decodable {
                let kind: String
                let coin: String?
                let end_timestamp: String?
                let future_return_4h: Double?
                let long_label: Int?
                let short_label: Int?
            }
            let windows: [Window]
        }
        let url = RealCandles.shared.appendingPathComponent("fixtures/lstm/windows.json")
        let windows = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url)).windows.filter { $0.kind == "real" }
        XCTAssertEqual(windows.count, 512)
        var rows: [String: [Int64: Int]] = [:]
        var labels: [String: ForwardLabels] = [:]
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            let candles = try RealCandles.candles(symbol)
            rows[symbol] = Dictionary(uniqueKeysWithValues: candles.enumerated().map { ($1.timestamp, $0) })
            labels[symbol] = try ForwardLabels(candles: candles, interval: 3_600)
        }
        var positives = (long: 0, short: 0)
        for w in windows {
            let coin = try XCTUnwrap(w.coin)
            let end = try XCTUnwrap(RealCandles.unixTime(try XCTUnwrap(w.end_timestamp)))
            let t = try XCTUnwrap(rows[coin]?[end], "\(coin) \(end)")
            let ours = try XCTUnwrap(labels[coin])
            XCTAssertEqual(ours.forwardReturn[t], w.future_return_4h, "\(coin) \(end)")
            XCTAssertEqual(ours.long[t], w.long_label.map { $0 == 1 }, "\(coin) \(end)")
            XCTAssertEqual(ours.short[t], w.short_label.map { $0 == 1 }, "\(coin) \(end)")
            positives.long += ours.long[t] == true ? 1 : 0
            positives.short += ours.short[t] == true ? 1 : 0
        }
        // Both classes occur, so the match is not all-zeros agreeing with all-zeros.
        XCTAssertGreaterThan(positives.long, 20)
        XCTAssertGreaterThan(positives.short, 10)
    }

    /// Base rates over the fixture's training and validation window sets (meta.json): windows of
    /// 64 gap-free candles after a 100-candle warm-up, by the year of their last candle. Expected
    /// counts are meta.json's `train_windows` / `val.n` times its `pos_rate`s (0.16532287891116207
    /// × 81,114 = 13,410 LONG; 0.09609931701062702 × 81,114 = 7,795 SHORT; 0.14264571948998178 ×
    /// 17,568 = 2,506; 0.07177823315118396 × 17,568 = 1,261).
    func testBaseRatesMatchTheFixtureTrainingAndValidationSets() throws {
        let warmup = 100, window = 64
        let spans = [
            (from: RealCandles.unixTime("2019-01-01T00:00:00Z")!, to: RealCandles.unixTime("2024-01-01T00:00:00Z")!,
             n: 81_114, long: 13_410, short: 7_795),
            (from: RealCandles.unixTime("2024-01-01T00:00:00Z")!, to: RealCandles.unixTime("2025-01-01T00:00:00Z")!,
             n: 17_568, long: 2_506, short: 1_261),
        ]
        var counts = [(n: Int, long: Int, short: Int)](repeating: (0, 0, 0), count: spans.count)
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            let candles = try RealCandles.candles(symbol)
            let labels = try ForwardLabels(candles: candles, interval: 3_600)
            var position = 0  // candles since the start of this gap-free run
            for t in candles.indices {
                position = t > 0 && candles[t].timestamp - candles[t - 1].timestamp == 3_600 ? position + 1 : 0
                guard position >= warmup + window - 1, let long = labels.long[t], let short = labels.short[t] else { continue }
                for (k, span) in spans.enumerated() where candles[t].timestamp >= span.from && candles[t].timestamp < span.to {
                    counts[k].n += 1
                    counts[k].long += long ? 1 : 0
                    counts[k].short += short ? 1 : 0
                }
            }
        }
        for (k, span) in spans.enumerated() {
            XCTAssertEqual(counts[k].n, span.n, "\(span.from)")
            XCTAssertEqual(counts[k].long, span.long, "\(span.from)")
            XCTAssertEqual(counts[k].short, span.short, "\(span.from)")
        }
    }

    static func message(_ error: Error) -> String {
        (error as? ModelcError)?.message ?? "not a ModelcError: \(error)"
    }
}
