import ModelcData
import ModelcRuntime
import XCTest

/// Gap-free runs, judged by a reference written differently: within a run,
/// `timestamp - index * interval` is constant, so runs are the maximal stretches of equal keys.
final class CandleRunsTests: XCTestCase {
    func candles(_ times: [Int64]) -> [Candle] {
        times.map { Candle(timestamp: $0, open: 1, high: 1, low: 1, close: 1, volume: 1) }
    }

    func reference(_ times: [Int64], interval: Int64) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        let key = times.indices.map { times[$0] - Int64($0) * interval }
        for i in times.indices.dropFirst() where key[i] != key[i - 1] {
            runs.append(start..<i)
            start = i
        }
        if !times.isEmpty { runs.append(start..<times.count) }
        return runs
    }

    func testHandMadeCases() {
        XCTAssertEqual(CandleRuns.runs(of: [], interval: 60), [])
        XCTAssertEqual(CandleRuns.runs(of: candles([5]), interval: 60), [0..<1])
        XCTAssertEqual(CandleRuns.runs(of: candles([0, 60, 120]), interval: 60), [0..<3])
        XCTAssertEqual(CandleRuns.runs(of: candles([0, 60, 180, 240, 600]), interval: 60), [0..<2, 2..<4, 4..<5])
        XCTAssertEqual(CandleRuns.runs(of: candles([0, 60, 60, 120]), interval: 60), [0..<2, 2..<4], "a duplicate ends a run")
        XCTAssertEqual(CandleRuns.runs(of: candles([0, 60, 0, 60]), interval: 60), [0..<2, 2..<4], "a step back ends a run")
        XCTAssertEqual(CandleRuns.runs(of: candles([0, 30, 60]), interval: 60), [0..<1, 1..<2, 2..<3], "a short step ends a run")
        XCTAssertEqual(CandleRuns.runs(of: candles([Int64.max - 10, Int64.max]), interval: 60), [0..<1, 1..<2], "no overflow")
    }

    func testRandomSeriesMatchTheReference() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            var times: [Int64] = []
            var t = Int64.random(in: 0..<1_000_000, using: &rng) * 3600
            for _ in 0..<Int.random(in: 0..<300, using: &rng) {
                times.append(t)
                switch Int.random(in: 0..<20, using: &rng) {
                case 0: t += 3600 * Int64.random(in: 2...50, using: &rng)  // gap
                case 1: break  // duplicate
                case 2: t -= 3600  // step back
                default: t += 3600
                }
            }
            XCTAssertEqual(CandleRuns.runs(of: candles(times), interval: 3600), reference(times, interval: 3600))
        }
    }
}
