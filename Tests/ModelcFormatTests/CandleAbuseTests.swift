import Foundation
import ModelcFormat
import ModelcRuntime
import XCTest

/// Candles a host should never send, and some it legitimately might (Spec.md §4.7, §8): invalid
/// ones are refused with the field named and change nothing; gaps restart the warm-up; and no
/// ready score ever comes from a window holding a non-finite feature.
final class CandleAbuseTests: XCTestCase {
    static let window = 3

    /// A dense network over every base feature, three steps wide, blended as the LONG specialist.
    static let model: LoadedModel = {
        var m = TestModels.dense()
        let n = FeatureCatalog.base.count
        m.features.features = FeatureCatalog.base.map(Modelc_Feature.init)
        m.features.warmup = UInt32(FeatureCatalog.defaultWarmup)
        m.components[0].input.features = (0..<UInt32(n)).map { $0 }
        m.components[0].input.window = UInt32(window)
        m.components[0].members[0].network.inputSize = UInt32(n)
        m.components[0].members[0].network.sequenceLength = UInt32(window)
        m.components[0].members[0].network.layers[0].dense.inFeatures = UInt32(n)
        m.components[0].members[0].network.layers[1].pooling = .poolingMean
        m.tensors[0] = Modelc_Tensor(name: "w", shape: [3, n], f32: (0..<(3 * n)).map { Float($0 % 7) * 0.01 - 0.03 })
        // A direction component of one tree: a NaN input would still reach a leaf (missing rule),
        // so only the stream's own check keeps it from scoring a non-finite row.
        var up = TreeModels.single().components[0]
        up.input.features = m.components[0].input.features
        up.members[0].trees.numFeatures = UInt32(n)
        m.components.append(up)
        m.blend.directionComponent = "up"
        m.blend.longComponent = "long"
        m.blend.treeWeight = 0.6
        m.blend.networkWeight = 0.4
        m.blend.entryThreshold = 0.3
        m.blend.vetoThreshold = 0.1
        m.blend.kellyFraction = 0.25
        m.blend.payoffRatio = 1
        m.blend.maxPosition = 1
        return try! ModelLoader.load(try! ArtifactWriter.encode(m, compression: .none))
    }()

    /// A deterministic random walk, one candle per hour from `start`.
    static func walk(_ count: Int, start: Int64 = 1_700_000_000, seed: UInt64 = 1) -> [Candle] {
        var state = seed, price = 100.0
        return (0..<count).map { i in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let r = Double(state >> 11) / Double(1 << 53) - 0.5
            let open = price
            price *= 1 + 0.02 * r
            return Candle(timestamp: start + 3600 * Int64(i), open: open, high: max(open, price) * 1.001,
                          low: min(open, price) * 0.999, close: price, volume: 10 + 100 * (r + 0.5))
        }
    }

    private func assertSame(_ a: StreamScore, _ b: StreamScore, _ what: String) {
        XCTAssertEqual(a.pLong.bitPattern, b.pLong.bitPattern, what)
        XCTAssertEqual(a.decision, b.decision, what)
        XCTAssertEqual(a.ready, b.ready, what)
    }

    func testInvalidCandlesAreRefusedNamingTheFieldAndChangeNothing() throws {
        let candles = Self.walk(160)
        var a = try SymbolStream(model: Self.model), b = try SymbolStream(model: Self.model)
        for c in candles[..<150] { assertSame(try a.push(c), try b.push(c), "warm-up") }
        let fields: [(WritableKeyPath<Candle, Double>, String, [Double])] = [
            (\.open, "open must be a finite price > 0", [.nan, .infinity, -.infinity, 0, -1]),
            (\.high, "high must be a finite price > 0", [.nan, .infinity, 0, -5]),
            (\.low, "low must be a finite price > 0", [.nan, -.infinity, 0, -1e-300]),
            (\.close, "close must be a finite price > 0", [.nan, .infinity, 0]),
            (\.volume, "volume must be a finite number >= 0", [.nan, .infinity, -1, -1e-300]),
        ]
        for (i, c) in candles[150...].enumerated() {
            let (field, message, values) = fields[i % fields.count]
            for v in values {
                var bad = c
                bad[keyPath: field] = v
                XCTAssertThrowsError(try a.push(bad)) { error in
                    XCTAssertEqual((error as? ModelcError)?.code, .invalidArgument)
                    XCTAssertEqual((error as? ModelcError)?.message, "timestamp \(c.timestamp): \(message)")
                }
            }
            assertSame(try a.push(c), try b.push(c), "after refusals at \(c.timestamp)")
        }
    }

    func testBackwardsAndDuplicateTimestampsAreRefused() throws {
        let candles = Self.walk(140)
        var a = try SymbolStream(model: Self.model), b = try SymbolStream(model: Self.model)
        for c in candles[..<130] { _ = try a.push(c); _ = try b.push(c) }
        for c in candles[130...] {
            let previous = c.timestamp - 3600
            for t in [previous, previous - 1, previous - 3600, Int64.min] {
                var bad = c
                bad.timestamp = t
                XCTAssertThrowsError(try a.push(bad)) { error in
                    XCTAssertEqual((error as? ModelcError)?.message, "timestamp \(t): not after the previous candle's \(previous)")
                }
            }
            assertSame(try a.push(c), try b.push(c), "after refusals at \(c.timestamp)")
        }
    }

    func testHugeGapsRestartTheWarmUpLikeAFreshStream() throws {
        let needed = FeatureCatalog.defaultWarmup + Self.window
        for gapStart in [Int64(1_700_000_000) + 3600 * 200 + 3601, FeatureEngine.latestTimestamp - 3600 * Int64(needed + 20)] {
            let before = Self.walk(200), after = Self.walk(needed + 20, start: gapStart, seed: 2)
            var a = try SymbolStream(model: Self.model), fresh = try SymbolStream(model: Self.model)
            for c in before { _ = try a.push(c) }
            for (i, c) in after.enumerated() {
                let s = try a.push(c)
                assertSame(s, try fresh.push(c), "candle \(i) after the gap")
                XCTAssertEqual(s.ready, i >= needed - 1, "candle \(i) after the gap")
            }
        }
        // From the most negative timestamp to a normal one: the difference overflows Int64.
        var s = try SymbolStream(model: Self.model)
        _ = try s.push(Candle(timestamp: .min, open: 1, high: 1, low: 1, close: 1, volume: 1))
        for c in Self.walk(needed) { XCTAssertEqual(try s.push(c).ready, c.timestamp == Self.walk(needed).last!.timestamp) }
    }

    /// One valid but extreme candle (every price 1e160, 1e200 or 1e308) overflows the features;
    /// the next candle starts a new run as after a gap, so the stream scores again exactly like a
    /// fresh stream fed the candles after it — live and in the batch table alike.
    func testAnExtremeCandleRestartsTheRunAndTheStreamRecovers() throws {
        let needed = FeatureCatalog.defaultWarmup + Self.window
        for price in [1e160, 1e200, 1e308] {
            var candles = Self.walk(260 + needed)
            candles[200].open = price
            candles[200].high = price
            candles[200].low = price
            candles[200].close = price
            var stream = try SymbolStream(model: Self.model), fresh = try SymbolStream(model: Self.model)
            for c in candles[...200] { _ = try stream.push(c) }
            for (i, c) in candles[201...].enumerated() {
                let s = try stream.push(c)
                assertSame(s, try fresh.push(c), "\(price): candle \(i) after the extreme one")
                XCTAssertEqual(s.ready, i >= needed - 1, "\(price): candle \(i) after the extreme one")
            }
            let table = try FeatureEngine.table(candles, features: Self.model.features)
            let restart = try XCTUnwrap(table.candleIndices.firstIndex(of: 201 + FeatureCatalog.defaultWarmup))
            XCTAssertEqual(table.positionsInRun[restart], FeatureCatalog.defaultWarmup, "\(price): the batch restarts too")
            XCTAssertFalse(table.candleIndices.contains(201 + FeatureCatalog.defaultWarmup - 1), "\(price)")
        }
    }

    /// A timestamp far in the future (2^62, INT64_MAX) is refused, not adopted: the real candles
    /// after it are scored as if it had never come.
    func testFarFutureTimestampsAreRefusedNotAdopted() throws {
        let candles = Self.walk(200)
        var a = try SymbolStream(model: Self.model), b = try SymbolStream(model: Self.model)
        for (i, c) in candles.enumerated() {
            if i == 150 {
                for t in [Int64(1) << 62, .max, FeatureEngine.latestTimestamp + 1] {
                    var bad = c
                    bad.timestamp = t
                    XCTAssertThrowsError(try a.push(bad)) {
                        XCTAssertEqual(($0 as? ModelcError)?.message,
                                       "timestamp \(t): after 2100-01-01T00:00:00Z (4102444800); refused, not adopted, so later candles are still accepted")
                    }
                }
            }
            assertSame(try a.push(c), try b.push(c), "candle \(i)")
        }
        XCTAssertTrue(try a.push(Candle(timestamp: FeatureEngine.latestTimestamp, open: 1, high: 1, low: 1, close: 1, volume: 1)).timestamp > 0)
    }

    func testZeroVolumeAndFlatCandlesScoreFinitely() throws {
        var s = try SymbolStream(model: Self.model)
        var ready = 0
        for (i, var c) in Self.walk(300).enumerated() {
            c.volume = 0
            if i % 3 == 0 { c.open = 50; c.high = 50; c.low = 50; c.close = 50 }
            let score = try s.push(c)
            if score.ready {
                ready += 1
                XCTAssertTrue(score.pLong >= 0 && score.pLong <= 1, "\(i): \(score.pLong)")
            }
        }
        XCTAssertGreaterThan(ready, 0, "zero-volume candles must still be scored")
    }

    /// Valid but extreme candles can overflow a feature's sums. Checked against the feature
    /// engine alone: no component is scored from a window that holds a non-finite row.
    func testNoScoreFromAWindowWithANonFiniteFeature() throws {
        var candles = Self.walk(900)
        for i in stride(from: 180, to: 880, by: 97) {
            candles[i].volume = 1e308
            candles[i + 1].volume = 1e308
            candles[i + 1].high = 1e300
            candles[i + 1].close = 1e299
        }
        var stream = try SymbolStream(model: Self.model)
        var engine = try FeatureEngine(features: Self.model.features, intervalSeconds: 3600, warmup: FeatureCatalog.defaultWarmup)
        var row = [Double](repeating: 0, count: Self.model.features.count)
        var finiteRun = 0, nonFiniteRows = 0, scored = 0
        for (i, c) in candles.enumerated() {
            let step = try row.withUnsafeMutableBufferPointer { try engine.push(c, into: $0) }
            let finite = row.allSatisfy { $0.isFinite }
            finiteRun = step.isReady && finite ? finiteRun + 1 : 0
            if step.isReady && !finite { nonFiniteRows += 1 }
            let score = try stream.push(c)
            XCTAssertEqual(score.probabilities[1].isNaN, finiteRun < 1, "tree component at candle \(i)")
            if finiteRun < Self.window { XCTAssertTrue(score.probabilities[0].isNaN, "network at candle \(i)") }
            if i < 180 { XCTAssertEqual(score.ready, finiteRun >= Self.window, "candle \(i)") }
            if score.ready {
                scored += 1
                XCTAssertTrue(score.pLong.isFinite && score.pUp.isFinite && score.decision.confidence.isFinite)
            }
        }
        XCTAssertGreaterThan(nonFiniteRows, 0, "the extreme candles must produce non-finite features for this test to mean anything")
        XCTAssertGreaterThan(scored, 0)
    }

    /// A long stream with gaps: the number of ready scores follows from the runs alone.
    func testVeryLongStreamWithGapsScoresEveryFullWindow() throws {
        var candles = Self.walk(200_000)
        var shift: Int64 = 0
        for i in candles.indices {
            if i % 9_973 == 0 && i > 0 { shift += 3600 * Int64(1 + i % 5) }
            candles[i].timestamp += shift
        }
        var expected = 0, run = 0
        for (i, c) in candles.enumerated() {
            run = i > 0 && c.timestamp - candles[i - 1].timestamp == 3600 ? run + 1 : 1
            if run >= FeatureCatalog.defaultWarmup + Self.window { expected += 1 }
        }
        var stream = try SymbolStream(model: Self.model)
        var ready = 0
        for c in candles {
            if try stream.push(c).ready { ready += 1 }
        }
        XCTAssertEqual(ready, expected)
    }
}
