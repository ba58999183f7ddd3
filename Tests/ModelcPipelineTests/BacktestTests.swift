@testable import ModelcPipeline
import ModelcRuntime
import XCTest

final class BacktestTests: XCTestCase {
    private func candles(_ closes: [Double], start: Int64 = 1_700_000_000) -> [Candle] {
        closes.enumerated().map { i, c in Candle(timestamp: start + Int64(i) * 3_600, open: c, high: c, low: c, close: c, volume: 1) }
    }

    /// Worked by hand: closes 100, 110, 99, 99; long 1 at the first two candles, flat after; cost 1 %.
    /// Entry: 1 − 0.01 = 0.99. Candle 1: 0.99 · 1.10 = 1.089, no change. Candle 2: 1.089 · 0.9 = 0.9801,
    /// then sell 1 unit: 0.9801 · 0.99 = 0.970299. Candle 3: flat, 0.970299.
    func testHandWorkedSingleTrade() {
        let s = Backtest.Series(name: "X", candles: candles([100, 110, 99, 99]), positions: [1, 1, 0, 0])
        let b = Backtest.run([s], start: 0, end: .max, costs: BacktestCosts(fee: 0.006, slippage: 0.004), interval: 3_600)
        let expected = [0.99, 1.089, 0.970299, 0.970299]
        XCTAssertEqual(b.equity.count, 4)
        for (p, e) in zip(b.equity, expected) { XCTAssertEqual(p.equity, e, accuracy: 1e-12) }
        XCTAssertEqual(b.totalReturn, 0.970299 - 1, accuracy: 1e-12)
        XCTAssertEqual(b.trades, 1)
        XCTAssertEqual(b.winRate, 0)
        XCTAssertEqual(b.exposure, 0.5)
        // Peak 1.089, trough 0.970299.
        XCTAssertEqual(b.maxDrawdown, 1 - 0.970299 / 1.089, accuracy: 1e-12)
        XCTAssertEqual(b.symbols, ["X"])
        // The trade's return: equity after the exit over equity before the entry (1).
        let r = Backtest.detailed([s], start: 0, end: .max, costs: BacktestCosts(fee: 0.006, slippage: 0.004), interval: 3_600).tradeReturns
        XCTAssertEqual(r.count, 1)
        XCTAssertEqual(r[0], 0.970299 - 1, accuracy: 1e-12)
    }

    /// Worked by hand: closes 100, 110, 121, 110; long, then a flip to short, held to the end;
    /// cost 1 %. Long: 0.99 → 1.089; flip (2 units): 1.089 · 0.98 = 1.06722, the long's return
    /// 1.06722 / 1 − 1. Short: 1.06722 · (2 − 121/110) = 0.960498, then · (2 − 110/121), exit
    /// · 0.99; the short's return that over 1.089 − 1 (its entry equity is before the flip).
    func testTradeReturnsAcrossAFlip() {
        let s = Backtest.Series(name: "X", candles: candles([100, 110, 121, 110]), positions: [1, -1, -1, -1])
        let d = Backtest.detailed([s], start: 0, end: .max, costs: BacktestCosts(fee: 0.01, slippage: 0), interval: 3_600)
        XCTAssertEqual(d.tradeReturns.count, 2)
        XCTAssertEqual(d.tradeReturns[0], 1.06722 - 1, accuracy: 1e-12)
        XCTAssertEqual(d.tradeReturns[1], 0.960498 * (2 - 110.0 / 121) * 0.99 / 1.089 - 1, accuracy: 1e-12)
        XCTAssertEqual(d.summary.trades, 2)
        XCTAssertEqual(d.summary.winRate, 0.5)
    }

    /// Without costs, holding 1 unit throughout is buy-and-hold: the return is last/first − 1.
    func testFullLongWithoutCostsIsBuyAndHold() {
        let closes = (0..<200).map { 100 * (1 + 0.3 * sin(Double($0) / 9)) }
        let s = Backtest.Series(name: "X", candles: candles(closes), positions: closes.map { _ in 1 })
        let b = Backtest.run([s], start: 0, end: .max, costs: BacktestCosts(fee: 0, slippage: 0), interval: 3_600)
        XCTAssertEqual(b.totalReturn, closes.last! / closes.first! - 1, accuracy: 1e-9)
        XCTAssertEqual(b.trades, 1)
        // A short of the same size earns the mirror of each candle's return.
        let short = Backtest.Series(name: "X", candles: candles(closes), positions: closes.map { _ in -1 })
        var expected = 1.0
        for j in 1..<closes.count { expected *= 2 - closes[j] / closes[j - 1] }
        expected -= 1
        XCTAssertEqual(Backtest.run([short], start: 0, end: .max, costs: BacktestCosts(fee: 0, slippage: 0), interval: 3_600).totalReturn,
                       expected, accuracy: 1e-9)
    }

    func testFlatPolicyEarnsNothing() {
        let s = Backtest.Series(name: "X", candles: candles([1, 2, 3, 2]), positions: [0, 0, 0, 0])
        let b = Backtest.run([s], start: 0, end: .max, costs: BacktestCosts(), interval: 3_600)
        XCTAssertEqual(b.totalReturn, 0)
        XCTAssertEqual(b.sharpe, 0)
        XCTAssertEqual(b.trades, 0)
        XCTAssertEqual(b.exposure, 0)
    }

    /// Two symbols with equal capital: the portfolio is the mean of their equities, a symbol
    /// holding its last value where it has no candle.
    func testPortfolioIsTheMeanOfSymbols() {
        let a = Backtest.Series(name: "A", candles: candles([100, 200, 200]), positions: [1, 1, 1])
        let b = Backtest.Series(name: "B", candles: candles([50, 25], start: 1_700_000_000 + 3_600), positions: [1, 1])
        let r = Backtest.run([a, b], start: 0, end: .max, costs: BacktestCosts(fee: 0, slippage: 0), interval: 3_600)
        // t0: A 1, B not started (1) -> 1; t1: A 2, B 1 -> 1.5; t2: A 2, B 0.5 -> 1.25.
        XCTAssertEqual(r.equity.map(\.equity), [1, 1.5, 1.25])
        XCTAssertEqual(r.equity.map(\.timestamp), [1_700_000_000, 1_700_003_600, 1_700_007_200])
    }

    /// Sharpe: mean over sample standard deviation of the per-candle returns, annualised by
    /// √(365·24) for hourly candles, checked against the formula computed here from the curve.
    func testSharpeMatchesTheDefinition() {
        let closes = [100.0, 101, 100.5, 102, 101, 103, 104]
        let s = Backtest.Series(name: "X", candles: candles(closes), positions: [1, 1, 1, 1, 1, 1, 1])
        let b = Backtest.run([s], start: 0, end: .max, costs: BacktestCosts(fee: 0, slippage: 0), interval: 3_600)
        var previous = 1.0
        let r = b.equity.map { p -> Double in defer { previous = p.equity }; return p.equity / previous - 1 }
        let mean = r.reduce(0, +) / Double(r.count)
        let sd = (r.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(r.count - 1)).squareRoot()
        XCTAssertEqual(b.sharpe, mean / sd * (365.0 * 24).squareRoot(), accuracy: 1e-9)
        XCTAssertGreaterThan(b.sharpe, 0)
    }
}
