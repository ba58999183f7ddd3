import ModelcRuntime
import XCTest

@testable import ModelcTraining

final class TripleBarrierLabelsTests: XCTestCase {
    /// Entry candle at close 100, then the given (high, low) candles, hourly.
    static func path(_ moves: [(high: Double, low: Double)]) -> [Candle] {
        [Candle(timestamp: 1_704_067_200, open: 100, high: 100, low: 100, close: 100, volume: 1)]
            + moves.enumerated().map { i, m in
                Candle(timestamp: 1_704_067_200 + Int64(i + 1) * 3_600, open: 100, high: m.high, low: m.low, close: 100, volume: 1)
            }
    }

    /// With ATR 1, take-profit 2 and stop-loss 1: LONG wins at 102 and loses at 99; SHORT wins at
    /// 98 and loses at 101.
    func testWhichBarrierComesFirst() throws {
        let config = TripleBarrierConfig(horizon: 3, takeProfit: 2, stopLoss: 1)
        let cases: [(moves: [(high: Double, low: Double)], long: BarrierHit, short: BarrierHit)] = [
            ([(100.5, 99.5), (102.5, 100), (100, 100)], .takeProfit(step: 2), .stopLoss(step: 2)),
            ([(100.5, 99.5), (100.5, 97.5), (103, 97)], .stopLoss(step: 2), .takeProfit(step: 2)),
            ([(102, 99), (100, 100), (100, 100)], .stopLoss(step: 1), .stopLoss(step: 1)),  // both in one candle
            ([(100.9, 99.1), (100.9, 99.1), (100.9, 99.1)], .timeout, .timeout),
            ([(100.9, 99.1), (100.9, 99.1), (101, 99.1)], .timeout, .stopLoss(step: 3)),  // touching counts
        ]
        for (n, c) in cases.enumerated() {
            let candles = Self.path(c.moves)
            let labels = try TripleBarrierLabels(
                candles: candles, atr: [Double](repeating: 1, count: candles.count), interval: 3_600, config: config)
            XCTAssertEqual(labels.long[0], c.long, "case \(n)")
            XCTAssertEqual(labels.short[0], c.short, "case \(n)")
            XCTAssertEqual(labels.longPositive[0], c.long.isTakeProfit, "case \(n)")
            XCTAssertEqual(labels.long[1...], [nil, nil, nil], "case \(n): no room for the horizon")
        }
    }

    func testGapsAndMissingATRDropTheLabel() throws {
        var candles = Self.path([(100, 100), (100, 100), (100, 100), (100, 100), (100, 100)])
        candles.remove(at: 4)  // hour 4 missing
        let atr: [Double] = [.nan, 1, 1, 1, 1]
        let labels = try TripleBarrierLabels(candles: candles, atr: atr, interval: 3_600, config: TripleBarrierConfig(horizon: 2))
        // Row 0: ATR still warming up. Row 1: hours 1-3, gap-free. Rows 2-4: cross the gap or the end.
        XCTAssertEqual(labels.long, [nil, .timeout, nil, nil, nil])
        XCTAssertEqual(labels.shortPositive, [nil, false, nil, nil, nil])
        let flat = try TripleBarrierLabels(candles: candles, atr: [1, 0, 1, 1, 1], interval: 3_600, config: TripleBarrierConfig(horizon: 2))
        XCTAssertEqual(flat.long, [.timeout, nil, nil, nil, nil], "zero ATR: no barriers, no label")
    }

    func testBadInputIsRefused() {
        let candles = Self.path([(100, 100)])
        XCTAssertThrowsError(try TripleBarrierLabels(candles: candles, atr: [1], interval: 3_600)) {
            XCTAssertTrue(ForwardLabelsTests.message($0).contains("1 ATR values for 2 candles"), ForwardLabelsTests.message($0))
        }
        XCTAssertThrowsError(try TripleBarrierLabels(candles: candles, atr: [1, -0.5], interval: 3_600, series: "XRPUSDT")) {
            XCTAssertTrue(ForwardLabelsTests.message($0).contains("XRPUSDT: ATR at row 1 (2024-01-01T01:00:00Z) is -0.5"),
                          ForwardLabelsTests.message($0))
        }
        for config in [TripleBarrierConfig(horizon: 0), TripleBarrierConfig(takeProfit: 0), TripleBarrierConfig(stopLoss: -1)] {
            XCTAssertThrowsError(try TripleBarrierLabels(candles: candles, atr: [1, 1], interval: 3_600, config: config))
        }
    }

    /// Real ETH candles against a naive scan that finds the first touch of each barrier separately
    /// and looks the future candles up by time; the ATR is a plain 14-candle mean true range.
    func testRealDataMatchesANaiveScan() throws {
        let candles = try RealCandles.candles("ETHUSDT")
        var atr = [Double](repeating: .nan, count: candles.count)
        var trueRange = [Double](repeating: 0, count: candles.count)
        var windowSum = 0.0
        for k in 1..<candles.count {
            let (c, previous) = (candles[k], candles[k - 1].close)
            trueRange[k] = max(c.high - c.low, abs(c.high - previous), abs(c.low - previous))
            windowSum += trueRange[k] - (k > 14 ? trueRange[k - 14] : 0)
            if k >= 14 { atr[k] = windowSum / 14 }
        }
        let config = TripleBarrierConfig(horizon: 6, takeProfit: 1.5, stopLoss: 1)
        let labels = try TripleBarrierLabels(candles: candles, atr: atr, interval: 3_600, config: config, series: "ETHUSDT")
        var byTime: [Int64: Candle] = [:]
        for c in candles { byTime[c.timestamp] = c }
        var seen = (profit: 0, stop: 0, timeout: 0, dropped: 0)
        for t in stride(from: 0, to: candles.count, by: 5) {
            let future = (1...6).map { byTime[candles[t].timestamp + Int64($0) * 3_600] }
            guard atr[t].isFinite, future.allSatisfy({ $0 != nil }) else {
                XCTAssertNil(labels.long[t], "row \(t)")
                XCTAssertNil(labels.short[t], "row \(t)")
                seen.dropped += 1
                continue
            }
            let path = future.map { $0! }
            let entry = candles[t].close
            func first(_ touched: (Candle) -> Bool) -> Int { (path.firstIndex(where: touched) ?? 99) + 1 }
            func expected(profit: Int, stop: Int) -> BarrierHit {
                if profit == 100 && stop == 100 { return .timeout }
                return stop <= profit ? .stopLoss(step: stop) : .takeProfit(step: profit)
            }
            let long = expected(profit: first { $0.high >= entry + 1.5 * atr[t] }, stop: first { $0.low <= entry - atr[t] })
            let short = expected(profit: first { $0.low <= entry - 1.5 * atr[t] }, stop: first { $0.high >= entry + atr[t] })
            guard labels.long[t] == long, labels.short[t] == short else {
                return XCTFail("row \(t): \(String(describing: labels.long[t])) / \(String(describing: labels.short[t])) vs \(long) / \(short)")
            }
            switch long {
            case .takeProfit: seen.profit += 1
            case .stopLoss: seen.stop += 1
            case .timeout: seen.timeout += 1
            }
        }
        // Every outcome occurs on real data, so the comparison exercised each branch.
        XCTAssertGreaterThan(seen.profit, 100)
        XCTAssertGreaterThan(seen.stop, 100)
        XCTAssertGreaterThan(seen.timeout, 100)
        XCTAssertGreaterThan(seen.dropped, 5)
    }
}
