import Foundation
@testable import ModelcRuntime
import XCTest

/// The engine's contract: validation, gaps, warm-up, feature subsets, parameters, the
/// zero-division rules and value semantics. Expected values come from the definitions
/// (Spec.md, "Features") computed here directly, or from a second engine fed differently.
final class FeatureEngineTests: XCTestCase {
    private let all = FeatureCatalog.all

    func testInvalidCandlesAreRefusedAndLeaveTheStateUntouched() throws {
        let candles = SyntheticCandles.make(300)
        var reference = try FeatureEngine(features: all)
        var engine = try FeatureEngine(features: all)
        var expected = [Double](), row = [Double]()
        for c in candles[..<150] {
            try reference.push(c, into: &expected)
            try engine.push(c, into: &row)
        }
        let next = candles[150]
        func variant(_ change: (inout Candle) -> Void) -> Candle {
            var c = next
            change(&c)
            return c
        }
        let bad: [(Candle, String)] = [
            (variant { $0.close = .nan }, "close must be a finite price > 0"),
            (variant { $0.close = 0 }, "close must be a finite price > 0"),
            (variant { $0.open = -1 }, "open must be a finite price > 0"),
            (variant { $0.high = .infinity }, "high must be a finite price > 0"),
            (variant { $0.low = -0.0 }, "low must be a finite price > 0"),
            (variant { $0.volume = -1 }, "volume must be a finite number >= 0"),
            (variant { $0.volume = .nan }, "volume must be a finite number >= 0"),
            (variant { $0.high = $0.low * 0.99 }, "high is below low"),
            (variant { $0.timestamp = candles[149].timestamp }, "not after the previous candle's"),
            (variant { $0.timestamp = candles[10].timestamp }, "not after the previous candle's"),
        ]
        for (candle, why) in bad {
            XCTAssertThrowsError(try engine.push(candle, into: &row)) { error in
                let e = error as? ModelcError
                XCTAssertEqual(e?.code, .invalidArgument)
                XCTAssertTrue(e?.message.contains(why) == true, "\(e?.message ?? "") lacks '\(why)'")
                XCTAssertTrue(e?.message.contains("timestamp \(candle.timestamp)") == true)
            }
        }
        // The refused candles changed nothing: the stream continues as if they never came.
        for c in candles[150...] {
            let a = try reference.push(c, into: &expected)
            let b = try engine.push(c, into: &row)
            XCTAssertEqual(a, b)
            XCTAssertEqual(expected.map(\.bitPattern), row.map(\.bitPattern))
        }
    }

    func testGapStartsANewRunEqualToAFreshEngine() throws {
        var candles = SyntheticCandles.make(400)
        for i in 200..<400 { candles[i].timestamp += 7200 }  // two missing hours before candle 200
        for i in 330..<400 { candles[i].timestamp += 1800 }  // a misaligned step before candle 330
        var engine = try FeatureEngine(features: all)
        var fresh = try FeatureEngine(features: all)
        var row = [Double](), freshRow = [Double]()
        for (i, c) in candles.enumerated() {
            if i == 200 || i == 330 { fresh = try FeatureEngine(features: all) }
            let step = try engine.push(c, into: &row)
            let freshStep = try fresh.push(c, into: &freshRow)
            if i == 200 || i == 330 {
                XCTAssertEqual(step.gap, FeatureGap(previousTimestamp: candles[i - 1].timestamp, timestamp: c.timestamp))
            } else {
                XCTAssertNil(step.gap, "candle \(i)")
            }
            XCTAssertEqual(step.positionInRun, freshStep.positionInRun)
            XCTAssertEqual(step.isReady, i >= 100 && i < 200 || i >= 300 && i < 330)
            if step.isReady { XCTAssertEqual(row.map(\.bitPattern), freshRow.map(\.bitPattern), "candle \(i)") }
        }
    }

    func testWarmupIsCheckedAndDoesNotChangeValues() throws {
        // The longest definition need in the standard set: crash velocity over 24 closes
        // (position 23), then volatility 20 (position 20) and RSI momentum 14 + 3.
        XCTAssertThrowsError(try FeatureEngine(features: all, warmup: 22)) { error in
            XCTAssertEqual((error as? ModelcError)?.code, .invalidModel)
        }
        XCTAssertThrowsError(try FeatureEngine(features: all, warmup: -1))
        XCTAssertThrowsError(try FeatureEngine(features: all, intervalSeconds: 0))
        let candles = SyntheticCandles.make(260)
        let short = try FeatureEngine.table(candles, features: all, warmup: 23)
        let standard = try FeatureEngine.table(candles, features: all)
        XCTAssertEqual(short.candleIndices.first, 23)
        XCTAssertEqual(standard.candleIndices.first, 100)
        XCTAssertEqual(short.rowCount, 237)
        XCTAssertEqual(Array(short.values[(77 * 23)...]).map(\.bitPattern), standard.values.map(\.bitPattern))
        XCTAssertTrue(short.values.allSatisfy(\.isFinite))
    }

    func testEachFeatureAloneEqualsItsColumnInTheFullSet() throws {
        let candles = Array(try RealCandles.load("SOLUSDT")[..<3000])
        let full = try FeatureEngine.table(candles, features: all)
        for (j, f) in all.enumerated() {
            let alone = try FeatureEngine.table(candles, features: [f])
            XCTAssertEqual(alone.candleIndices, full.candleIndices, f.name)
            for r in 0..<full.rowCount where alone[r, 0].bitPattern != full[r, j].bitPattern {
                return XCTFail("\(f.name) row \(r): alone \(alone[r, 0]), in the full set \(full[r, j])")
            }
        }
        // Reversed order, duplicates included: the same columns, permuted.
        let reversed = try FeatureEngine.table(candles, features: all.reversed() + [all[6]])
        for r in stride(from: 0, to: full.rowCount, by: 97) {
            for j in 0..<23 { XCTAssertEqual(reversed[r, 22 - j].bitPattern, full[r, j].bitPattern) }
            XCTAssertEqual(reversed[r, 23].bitPattern, full[r, 6].bitPattern)
        }
        // A subset keeps only the state it needs.
        let hours = try FeatureEngine(features: [all[17]])
        XCTAssertEqual(hours.plan.storageCount, 1)  // the (unused) scratch slot only
        XCTAssertLessThan(try FeatureEngine(features: [all[19]]).plan.storageCount, try FeatureEngine(features: all).plan.storageCount)
    }

    func testNonDefaultParameters() throws {
        let candles = SyntheticCandles.make(400)
        let defs: [FeatureDefinition] = [
            .init(name: "r2", kind: .logReturn, params: [2]),
            .init(name: "v5", kind: .volatility, params: [5]),
            .init(name: "bb", kind: .bollingerWidth, params: [10, 1.5]),
            .init(name: "vr7", kind: .volumeRatio, params: [7]),
            .init(name: "z8", kind: .zscore, params: [8]),
            .init(name: "cv12", kind: .crashVelocity, params: [12]),
            .init(name: "sp", kind: .sellPressure, params: [5, 8]),
            .init(name: "bd", kind: .structuralBreakdown, params: [4]),
            .init(name: "macd", kind: .macd, params: [3, 7]),
        ]
        let table = try FeatureEngine.table(candles, features: defs)
        let close = candles.map(\.close), volume = candles.map(\.volume)
        func window(_ xs: [Double], _ t: Int, _ n: Int) -> [Double] { Array(xs[(t - n + 1)...t]) }
        func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(xs.count) }
        func std(_ xs: [Double]) -> Double {
            let m = mean(xs)
            return (xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(xs.count)).squareRoot()
        }
        func ema(_ n: Int, _ t: Int) -> Double {
            var s = close[0]
            for i in 1...t { s += 2 / Double(n + 1) * (close[i] - s) }
            return s
        }
        for r in stride(from: 0, to: table.rowCount, by: 7) {
            let t = table.candleIndices[r]
            let returns = (t - 4...t).map { Foundation.log(close[$0] / close[$0 - 1]) }
            let w12 = window(close, t, 12)
            let top = w12.max()!, since = 11 - w12.lastIndex(of: top)!
            var lowerLows = 0
            while lowerLows < t && candles[t - lowerLows].low < candles[t - lowerLows - 1].low { lowerLows += 1 }
            let red = (t - 4...t).reduce(0.0) { $0 + (candles[$1].close < candles[$1].open ? volume[$1] : 0) }
            let expected = [
                Foundation.log(close[t] / close[t - 2]),
                std(returns),
                3 * std(window(close, t, 10)) / mean(window(close, t, 10)),
                volume[t] / mean(window(volume, t, 7)),
                (close[t] - mean(window(close, t, 8))) / std(window(close, t, 8)),
                since > 0 ? (top - close[t]) / top / Double(since) : 0,
                red / (5 * mean(window(volume, t, 8))),
                Double(min(lowerLows, 4)) / 4,
                (ema(3, t) - ema(7, t)) / close[t],
            ]
            for j in 0..<defs.count {
                XCTAssertEqual(table[r, j], expected[j], accuracy: 1e-12 * max(1, expected[j].magnitude), "\(defs[j].name) at \(t)")
            }
        }
    }

    func testParameterValidation() {
        let cases: [(FeatureDefinition, String)] = [
            (.init(name: "a", kind: .rsi, params: []), "takes parameters (period), got 0"),
            (.init(name: "b", kind: .rsi, params: [14, 3]), "takes parameters (period), got 2"),
            (.init(name: "c", kind: .bodyRatio, params: [1]), "takes no parameters, got 1"),
            (.init(name: "d", kind: .volatility, params: [10.5]), "window must be a whole number from 1 to 10000"),
            (.init(name: "e", kind: .emaDistance, params: [0]), "span must be a whole number"),
            (.init(name: "f", kind: .logReturn, params: [-3]), "lag must be a whole number"),
            (.init(name: "g", kind: .zscore, params: [.nan]), "window must be a whole number"),
            (.init(name: "h", kind: .atr, params: [20_000]), "period must be a whole number from 1 to 10000"),
            (.init(name: "i", kind: .macd, params: [26, 12]), "fast span must be shorter than slow span"),
            (.init(name: "j", kind: .bollingerWidth, params: [20, 0]), "k_sigma must be a finite number > 0"),
            (.init(name: "k", kind: .sellPressure, params: [10]), "takes parameters (window, volume_window), got 1"),
        ]
        for (f, why) in cases {
            XCTAssertThrowsError(try FeatureEngine(features: [f], warmup: 20_000)) { error in
                let e = error as? ModelcError
                XCTAssertEqual(e?.code, .invalidModel)
                XCTAssertTrue(e?.message.contains("feature 0 '\(f.name)' (\(f.kind.label)): \(why)") == true, e?.message ?? "")
            }
        }
    }

    /// Flat candles hit every zero-division rule: z-score and widths 0, RSI 50, body ratio 0
    /// when high == low, volume ratio and sell pressure 0 when the mean volume is 0.
    func testZeroDivisionRules() throws {
        let start: Int64 = 1_704_067_200
        let flat = (0..<130).map { i in
            Candle(timestamp: start + Int64(i) * 3600, open: 100, high: 100, low: 100, close: 100, volume: i < 110 ? 0 : 5)
        }
        let table = try FeatureEngine.table(flat, features: all)
        let names = all.map(\.name)
        for r in 0..<table.rowCount {
            let row = Dictionary(uniqueKeysWithValues: zip(names, table.row(r)))
            for name in names where !["rsi_14", "volume_ratio_20", "log_volume", "hour_of_day", "day_of_week"].contains(name) {
                XCTAssertEqual(row[name], 0, "\(name) row \(r)")
            }
            XCTAssertEqual(row["rsi_14"], 0.5)
            let t = table.candleIndices[r]
            let meanVolume = Double(min(20, max(0, t - 110 + 1))) * 5 / 20  // candles 110... have volume 5
            XCTAssertEqual(row["volume_ratio_20"], t < 110 ? 0 : 5 / meanVolume)
            XCTAssertEqual(row["log_volume"], t < 110 ? 0 : DMath.log1p(5.0))
        }
    }

    func testHourAndWeekday() throws {
        let engine = try FeatureEngine(features: [all[17], all[18]], warmup: 0)
        let cases: [(Int64, Double, Double)] = [
            (1_704_085_200, 5, 0),  // 2024-01-01 05:00 UTC, a Monday
            (1_704_668_400, 23, 6),  // 2024-01-07 23:00, a Sunday
            (1_709_164_800, 0, 3),  // 2024-02-29 00:00, a Thursday
            (0, 0, 3),  // 1970-01-01 00:00, a Thursday
            (-3600, 23, 2),  // 1969-12-31 23:00, a Wednesday
            (-86_400 * 365, 0, 2),  // 1969-01-01 00:00, a Wednesday
        ]
        for (t, hour, weekday) in cases {
            var e = engine
            var row = [Double]()
            let step = try e.push(Candle(timestamp: t, open: 1, high: 1, low: 1, close: 1, volume: 1), into: &row)
            XCTAssertTrue(step.isReady)
            XCTAssertEqual(row, [hour / 23, weekday / 6], "timestamp \(t)")
        }
    }

    func testCopiesAreIndependentSnapshots() throws {
        let candles = SyntheticCandles.make(300)
        var a = try FeatureEngine(features: all)
        var row = [Double]()
        for c in candles[..<150] { try a.push(c, into: &row) }
        var b = a
        var rowsA: [[Double]] = [], rowsB: [[Double]] = []
        for c in candles[150...] {
            try a.push(c, into: &row)
            rowsA.append(row)
        }
        for c in candles[150...] {
            try b.push(c, into: &row)
            rowsB.append(row)
        }
        XCTAssertEqual(rowsA.map { $0.map(\.bitPattern) }, rowsB.map { $0.map(\.bitPattern) })
        // reset() forgets the stream: an earlier timestamp is accepted and starts a run.
        b.reset()
        let step = try b.push(candles[0], into: &row)
        XCTAssertEqual(step, FeatureStep(isReady: false, positionInRun: 0, gap: nil))
    }

    func testBufferAndBatchErrors() throws {
        var engine = try FeatureEngine(features: all)
        var small = [Double](repeating: 0, count: 5)
        try small.withUnsafeMutableBufferPointer { buffer in
            XCTAssertThrowsError(try engine.push(SyntheticCandles.make(1)[0], into: buffer)) { error in
                XCTAssertEqual((error as? ModelcError)?.code, .invalidArgument)
            }
        }
        var candles = SyntheticCandles.make(20)
        candles[7].volume = -5
        XCTAssertThrowsError(try FeatureEngine.table(candles, features: all)) { error in
            XCTAssertTrue((error as? ModelcError)?.message.hasPrefix("candle 7, timestamp") == true)
        }
    }
}

/// A seeded random walk of hourly candles, some red, some with equal lows and flat ranges.
enum SyntheticCandles {
    static func make(_ count: Int, seed: UInt64 = 7) -> [Candle] {
        var state = seed
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) * 0x1p-53
        }
        var close = 100.0
        return (0..<count).map { i in
            let open = close
            close = open * DMath.exp((unit() - 0.5) * 0.04)
            let high = max(open, close) * (1 + 0.01 * unit())
            let low = i % 17 == 0 ? min(open, close) : min(open, close) * (1 - 0.01 * unit())
            return Candle(timestamp: 1_704_067_200 + Int64(i) * 3600, open: open, high: high, low: low,
                          close: close, volume: i % 23 == 0 ? 0 : 1000 * unit())
        }
    }
}
