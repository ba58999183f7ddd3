import ModelcFormat
import ModelcRuntime

/// A fee-aware backtest of positions held candle to candle (Spec.md §15). Each symbol starts
/// with an equal share of the capital and is never rebalanced against the others; the
/// portfolio's equity is the mean of the symbols' equities, each at its last known value.
public enum Backtest {
    /// One symbol's candles inside the span and the position held after each (−1 … 1).
    public struct Series: Sendable {
        public var name: String
        public var candles: [Candle]
        public var positions: [Double]

        public init(name: String, candles: [Candle], positions: [Double]) {
            self.name = name
            self.candles = candles
            self.positions = positions
        }
    }

    public static func run(_ series: [Series], start: Int64, end: Int64, costs: BacktestCosts, interval: Int64) -> Modelc_Backtest {
        detailed(series, start: start, end: end, costs: costs, interval: interval).summary
    }

    /// The backtest and every closed trade's after-cost return (the symbol's equity at the close
    /// over its equity before the entry, minus one), in series order.
    static func detailed(_ series: [Series], start: Int64, end: Int64, costs: BacktestCosts, interval: Int64)
        -> (summary: Modelc_Backtest, tradeReturns: [Double]) {
        var out = Modelc_Backtest()
        out.fee = costs.fee
        out.slippage = costs.slippage
        out.start = start
        out.end = end
        out.symbols = series.map(\.name)
        let k = costs.fee + costs.slippage
        var curves: [[(Int64, Double)]] = []
        var tradeReturns: [Double] = [], exposed = 0, bars = 0
        for s in series {
            let (curve, r) = equity(s, cost: k)
            curves.append(curve)
            tradeReturns += r
            exposed += s.positions.filter { $0 != 0 }.count
            bars += s.positions.count
        }
        let points = portfolio(curves)
        out.equity = points.map { p in
            var e = Modelc_EquityPoint()
            e.timestamp = p.0
            e.equity = p.1
            return e
        }
        var returns: [Double] = []
        var previous = 1.0, peak = 1.0, drawdown = 0.0
        for (_, e) in points {
            returns.append(e / previous - 1)
            previous = e
            peak = max(peak, e)
            drawdown = max(drawdown, 1 - e / peak)
        }
        out.totalReturn = previous - 1
        out.maxDrawdown = drawdown
        out.sharpe = sharpe(returns, periodsPerYear: 365 * 86_400 / Double(interval))
        out.trades = UInt32(tradeReturns.count)
        out.winRate = tradeReturns.isEmpty ? 0 : Double(tradeReturns.filter { $0 > 0 }.count) / Double(tradeReturns.count)
        out.exposure = bars == 0 ? 0 : Double(exposed) / Double(bars)
        return (out, tradeReturns)
    }

    /// The symbol's equity after each candle, and its closed trades' returns. The position
    /// chosen at candle j's close earns close[j+1]/close[j] − 1 (over a gap too); every change
    /// of position pays `cost` per unit traded, and the span ends flat.
    static func equity(_ s: Series, cost: Double) -> (curve: [(Int64, Double)], tradeReturns: [Double]) {
        var curve: [(Int64, Double)] = []
        var e = 1.0, held = 0.0
        var tradeReturns: [Double] = []
        var entryEquity = 1.0
        for j in s.candles.indices {
            if j > 0 { e *= 1 + held * (s.candles[j].close / s.candles[j - 1].close - 1) }
            var p = s.positions[j]
            if j == s.candles.count - 1 { p = 0 }
            let before = e
            e *= 1 - abs(p - held) * cost
            let closes = held != 0 && (p == 0 || (p > 0) != (held > 0))
            let opens = p != 0 && (held == 0 || (p > 0) != (held > 0))
            // A flip closes at the equity after paying for the whole change.
            if closes { tradeReturns.append(e / entryEquity - 1) }
            if opens { entryEquity = before }
            held = p
            curve.append((s.candles[j].timestamp, e))
        }
        return (curve, tradeReturns)
    }

    /// The mean of the symbols' equities on the union of their timestamps; a symbol counts 1
    /// before its first candle and its last value after its last.
    static func portfolio(_ curves: [[(Int64, Double)]]) -> [(Int64, Double)] {
        guard !curves.isEmpty else { return [] }
        let times = Array(Set(curves.flatMap { $0.map(\.0) })).sorted()
        var cursor = [Int](repeating: 0, count: curves.count)
        var last = [Double](repeating: 1, count: curves.count)
        var out: [(Int64, Double)] = []
        out.reserveCapacity(times.count)
        for t in times {
            for i in curves.indices {
                while cursor[i] < curves[i].count && curves[i][cursor[i]].0 <= t {
                    last[i] = curves[i][cursor[i]].1
                    cursor[i] += 1
                }
            }
            var sum = 0.0
            for v in last { sum += v }
            out.append((t, sum / Double(curves.count)))
        }
        return out
    }

    /// Mean over sample standard deviation of the per-candle returns, times √(periods per year);
    /// 0 when there are fewer than two returns or they do not vary.
    static func sharpe(_ r: [Double], periodsPerYear: Double) -> Double {
        guard r.count >= 2 else { return 0 }
        var sum = 0.0
        for x in r { sum += x }
        let mean = sum / Double(r.count)
        var ss = 0.0
        for x in r { ss += (x - mean) * (x - mean) }
        let sd = (ss / Double(r.count - 1)).squareRoot()
        return sd > 0 ? mean / sd * periodsPerYear.squareRoot() : 0
    }
}
