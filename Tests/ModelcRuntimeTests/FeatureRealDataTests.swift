import Foundation
@testable import ModelcRuntime
import ModelcTestSupport
import XCTest

/// The engine on the 8 real candle files: streaming and batch give the same bits, and each of
/// the 23 features matches a naive recomputation from scratch.
final class FeatureRealDataTests: XCTestCase {
    /// Batch over the whole file vs. a live stream that starts a fresh engine at every gap the
    /// test finds on its own: equal bits show that the gap reset leaves nothing behind and that
    /// batch and streaming are the same computation.
    func testStreamingEqualsBatchBitForBitOnAllFiles() throws {
        var totalRows = 0
        for file in RealCandles.files {
            let candles = try RealCandles.load(file)
            let table = try RealCandles.table(file)
            var row = [Double](repeating: 0, count: 23)
            var engine = try FeatureEngine(features: FeatureCatalog.all)
            var r = 0
            for (i, c) in candles.enumerated() {
                if i > 0 && c.timestamp != candles[i - 1].timestamp + 3600 {
                    engine = try FeatureEngine(features: FeatureCatalog.all)
                }
                guard try engine.push(c, into: &row).isReady else { continue }
                guard r < table.rowCount, table.candleIndices[r] == i else {
                    return XCTFail("\(file) candle \(i): the stream has a row, the batch has none")
                }
                let offset = r * 23
                for j in 0..<23 where table.values[offset + j].bitPattern != row[j].bitPattern {
                    return XCTFail("\(file) candle \(i) feature \(j): batch \(table[r, j]) stream \(row[j])")
                }
                r += 1
            }
            XCTAssertEqual(r, table.rowCount, file)
            // Every value is finite; rows exist from position 100 of each run.
            var finite = true
            for v in table.values where !v.isFinite { finite = false }
            XCTAssertTrue(finite, file)
            XCTAssertEqual(table.positionsInRun.min(), 100, file)
            totalRows += table.rowCount
        }
        XCTAssertGreaterThan(totalRows, 480_000)
    }

    /// Each feature against `NaiveFeatures` (sequential sums, libm logs, every recursion rerun
    /// from the start of the run) on rows sampled across all 8 files.
    func testEveryFeatureMatchesNaiveRecomputation() throws {
        var worst = [Double](repeating: 0, count: 23)
        var checked = 0
        for (f, file) in RealCandles.files.enumerated() {
            let table = try RealCandles.table(file)
            let naive = NaiveFeatures(try RealCandles.load(file))
            var seed = UInt64(f + 1)
            for _ in 0..<25 {
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                let r = Int((seed >> 33) % UInt64(table.rowCount))
                let expected = naive.row(at: table.candleIndices[r])
                for j in 0..<23 {
                    let got = table[r, j]
                    let error = (got - expected[j]).magnitude / max(1, expected[j].magnitude)
                    worst[j] = max(worst[j], error)
                    XCTAssertLessThanOrEqual(error, 1e-11, "\(file) row \(r) feature \(j) \(FeatureCatalog.all[j].name): \(got) vs \(expected[j])")
                }
                checked += 1
            }
        }
        print("naive recomputation, \(checked) rows: worst relative error per feature \(worst)")
    }
}

/// Candle files under <package root>/../shared/data/ohlcv, read with a minimal parser (the
/// data layer's reader lives in another module), cached for the test process.
enum RealCandles {
    static let files = ["ADAUSDT", "BNBUSDT", "BTCUSDT", "DOGEUSDT", "ETHUSDT", "LTCUSDT", "SOLUSDT", "XRPUSDT"]

    static let directory = RepositoryPaths.shared("data/ohlcv").path

    nonisolated(unsafe) private static var cache: [String: [Candle]] = [:]
    nonisolated(unsafe) private static var tables: [String: FeatureTable] = [:]
    private static let lock = NSRecursiveLock()

    /// The batch table of all 23 features for a file (computed once per test process).
    static func table(_ symbol: String) throws -> FeatureTable {
        lock.lock()
        defer { lock.unlock() }
        if let t = tables[symbol] { return t }
        let t = try FeatureEngine.table(try load(symbol), features: FeatureCatalog.all)
        tables[symbol] = t
        return t
    }

    static func load(_ symbol: String) throws -> [Candle] {
        lock.lock()
        defer { lock.unlock() }
        if let c = cache[symbol] { return c }
        let path = "\(directory)/\(symbol)_1h.csv"
        guard let data = FileManager.default.contents(atPath: path) else {
            throw XCTSkip("candle file \(path) not found (shared/ must sit beside the package)")
        }
        let candles = try parse(data, path: path)
        cache[symbol] = candles
        return candles
    }

    /// timestamp,open,high,low,close,volume with ISO-8601 UTC hour timestamps.
    static func parse(_ data: Data, path: String) throws -> [Candle] {
        var candles: [Candle] = []
        candles.reserveCapacity(80_000)
        var bytes = [UInt8](data)
        bytes.append(0)
        return try bytes.withUnsafeMutableBufferPointer { buf -> [Candle] in
            let base = UnsafeMutableRawPointer(buf.baseAddress!).assumingMemoryBound(to: CChar.self)
            var p = base
            while p.pointee != 10 { p += 1 }  // header line
            p += 1
            var line = 2
            while p.pointee != 0 {
                func digits(_ n: Int) -> Int64 {
                    var v: Int64 = 0
                    for _ in 0..<n {
                        v = v * 10 + Int64(p.pointee - 48)
                        p += 1
                    }
                    return v
                }
                var y = digits(4); p += 1
                let m = digits(2); p += 1
                let d = digits(2); p += 1
                let hour = digits(2)
                while p.pointee != 44 { p += 1 }
                // Days since 1970-01-01 (H. Hinnant's days_from_civil).
                if m <= 2 { y -= 1 }
                let era = y / 400, yoe = y - era * 400
                let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
                let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
                func number() throws -> Double {
                    var end: UnsafeMutablePointer<CChar>?
                    let v = strtod(p + 1, &end)
                    guard let e = end, e != p + 1 else { throw ModelcError(.io, "\(path):\(line): bad number") }
                    p = e
                    return v
                }
                let open = try number(), high = try number(), low = try number(), close = try number()
                candles.append(Candle(timestamp: days * 86400 + hour * 3600, open: open, high: high, low: low,
                                      close: close, volume: try number()))
                while p.pointee != 10 && p.pointee != 0 { p += 1 }
                if p.pointee == 10 { p += 1 }
                line += 1
            }
            return candles
        }
    }
}

/// The 23 features written the slow, obvious way for one candle: find its run by walking back
/// to the last gap, recompute every recursion from the run's first candle, sum windows left
/// to right, take logs from the C library.
struct NaiveFeatures {
    let c: [Candle]
    let close: [Double]

    init(_ candles: [Candle]) {
        c = candles
        close = candles.map { $0.close }
    }

    func row(at t: Int) -> [Double] {
        var start = t
        while start > 0 && c[start].timestamp - c[start - 1].timestamp == 3600 { start -= 1 }
        func lr(_ i: Int, _ k: Int) -> Double { Foundation.log(close[i] / close[i - k]) }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        func std(_ xs: [Double]) -> Double {
            let m = mean(xs)
            return (xs.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(xs.count)).squareRoot()
        }
        func ema(_ n: Int) -> Double {
            let a = 2.0 / Double(n + 1)
            var s = close[start]
            for i in stride(from: start + 1, through: t, by: 1) { s += a * (close[i] - s) }
            return s
        }
        func wilder(_ n: Int, _ end: Int, _ x: (Int) -> Double) -> Double {
            var s = mean((start + 1...start + n).map(x))
            for i in stride(from: start + n + 1, through: end, by: 1) { s = (s * Double(n - 1) + x(i)) / Double(n) }
            return s
        }
        func rsi(_ end: Int) -> Double {
            let gain = wilder(14, end) { max(close[$0] - close[$0 - 1], 0) }
            let loss = wilder(14, end) { max(close[$0 - 1] - close[$0], 0) }
            return loss > 0 ? 100 - 100 / (1 + gain / loss) : (gain > 0 ? 100 : 50)
        }
        let x = c[t]
        let rsiNow = rsi(t)
        let closes20 = Array(close[t - 19...t])
        let volumes20 = c[t - 19...t].map(\.volume)
        let atr = wilder(14, t) { i in
            max(c[i].high - c[i].low, abs(c[i].high - close[i - 1]), abs(c[i].low - close[i - 1]))
        }
        let window24 = Array(close[t - 23...t])
        let top = window24.max()!
        let since = 23 - window24.lastIndex(of: top)!
        var lowerLows = 0
        var i = t
        while i > start && c[i].low < c[i - 1].low {
            lowerLows += 1
            i -= 1
        }
        let hours = x.timestamp / 3600
        let red = c[t - 9...t].map { $0.close < $0.open ? $0.volume : 0 }
        return [
            lr(t, 1), lr(t, 3), lr(t, 5), lr(t, 10),
            std((t - 9...t).map { lr($0, 1) }), std((t - 19...t).map { lr($0, 1) }),
            rsiNow / 100,
            (ema(12) - ema(26)) / x.close,
            4 * std(closes20) / mean(closes20),
            atr / x.close,
            mean(volumes20) > 0 ? x.volume / mean(volumes20) : 0,
            x.close / ema(9) - 1, x.close / ema(21) - 1, x.close / ema(50) - 1,
            x.high > x.low ? abs(x.close - x.open) / (x.high - x.low) : 0,
            std(closes20) > 0 ? (x.close - mean(closes20)) / std(closes20) : 0,
            Foundation.log1p(x.volume),
            Double(hours % 24) / 23,
            Double((hours / 24 + 3) % 7) / 6,
            since > 0 ? (top - x.close) / top / Double(since) : 0,
            mean(volumes20) > 0 ? red.reduce(0, +) / (10 * mean(volumes20)) : 0,
            (rsiNow - rsi(t - 3)) / 100,
            Double(min(lowerLows, 10)) / 10,
        ]
    }
}
