import Foundation
import CModelcKernels
import ModelcCompiler
import ModelcData
import ModelcFormat
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// Candle streams: readiness after warm-up and gaps, windows, the blend, and the C ABI's
/// stateless path, on real BTC candles through the demo dual model (trees + a BiLSTM network).
final class StreamScoringTests: XCTestCase {
    private static let candles: [Candle] = {
        let path = RepositoryPaths.shared("data/ohlcv/BTCUSDT_1h.csv").path
        let all = try! CandleLoader.load(path: path).candles
        return Array(all.suffix(400))  // 2025-10-30 … 2025-11-15, no gap
    }()

    /// The demo's random weights give probabilities near 0.5: a lower entry threshold makes the
    /// blend both trade and stay flat on these candles.
    private static func demo() -> Modelc_Model {
        var m = DemoModel.make(seed: 21)
        m.blend.entryThreshold = 0.52
        return m
    }

    private let model = try! ModelLoader.load(try! ArtifactWriter.encode(demo()))

    /// Spec.md §4.6, written out again from the text.
    private func blend(_ b: BlendDefinition, pUp: Double, pLong: Double) -> (Signal, Double, Double) {
        let long = pUp >= 0.5
        let d = long ? pUp : 1 - pUp
        let s = long ? pLong : d
        let c = (b.treeWeight * d + b.networkWeight * s) / (b.treeWeight + b.networkWeight)
        if s < b.vetoThreshold || c < b.entryThreshold { return (.flat, c, 0) }
        return (long ? .long : .short, c, min(b.maxPosition, max(0, b.kellyFraction * (c - (1 - c) / b.payoffRatio))))
    }

    func testScoresFollowTheFeatureTableAndTheBlend() throws {
        let candles = Self.candles
        var stream = try SymbolStream(model: model)
        let table = try FeatureEngine.table(candles, features: model.features, intervalSeconds: model.intervalSeconds, warmup: model.warmup)
        let first = model.warmup + 16 - 1  // the network reads 16 rows
        XCTAssertEqual(stream.warmupCandles, model.warmup + 16)
        let trees = try XCTUnwrap(model.components.firstIndex { $0.role == .direction })
        let long = try XCTUnwrap(model.components.firstIndex { $0.role == .long })
        var signals: [Signal: Int] = [:]
        for (i, candle) in candles.enumerated() {
            let score = try stream.push(candle)
            XCTAssertEqual(score.timestamp, candle.timestamp)
            XCTAssertEqual(score.ready, i >= first, "candle \(i)")
            XCTAssertEqual(score.pUp.isNaN, i < model.warmup)
            guard score.ready else { continue }
            // The rows this candle's window holds, straight from the batch table.
            let row = i - model.warmup
            let window = (row - 15...row).flatMap { Array(table.row($0)) }
            let pLong = try model.components[long].probability(window: window)
            let pUp = try model.components[trees].probability(window: Array(table.row(row)))
            XCTAssertEqual(score.pLong.bitPattern, pLong.bitPattern)
            XCTAssertEqual(score.pUp.bitPattern, pUp.bitPattern)
            let (signal, confidence, size) = blend(try XCTUnwrap(model.blend), pUp: pUp, pLong: pLong)
            XCTAssertEqual(score.decision.signal, signal)
            XCTAssertEqual(score.decision.confidence, confidence, accuracy: 1e-15)
            XCTAssertEqual(score.decision.size, size, accuracy: 1e-15)
            signals[signal, default: 0] += 1
        }
        XCTAssertNotNil(signals[.flat], "some candles stay flat: \(signals)")
        XCTAssertGreaterThan(signals.count, 1, "some candles trade: \(signals)")
    }

    func testGapRestartsTheWarmUp() throws {
        var candles = Self.candles
        candles.remove(at: 200)
        var stream = try SymbolStream(model: model)
        let ready = try candles.map { try stream.push($0).ready }
        let restart = 200 + model.warmup + 16 - 1
        XCTAssertTrue(ready[199])
        XCTAssertFalse(ready[200..<restart].contains(true), "no score from a window spanning the gap")
        XCTAssertTrue(ready[restart])
    }

    func testInvalidCandleIsRefusedAndChangesNothing() throws {
        let candles = Array(Self.candles.prefix(200))
        var a = try SymbolStream(model: model), b = try SymbolStream(model: model)
        for c in candles.dropLast() {
            _ = try a.push(c)
            _ = try b.push(c)
        }
        var bad = candles.last!
        bad.close = .nan
        XCTAssertThrowsError(try a.push(bad)) { XCTAssertEqual(($0 as? ModelcError)?.code, .invalidArgument) }
        bad.close = candles.last!.close
        bad.high = bad.low / 2
        XCTAssertThrowsError(try a.push(bad))
        let fromA = try a.push(candles.last!), fromB = try b.push(candles.last!)
        XCTAssertEqual(fromA.pLong.bitPattern, fromB.pLong.bitPattern)
        XCTAssertEqual(fromA.decision, fromB.decision)
    }

    /// The C ABI's stateless call gives the stream's score of the last candle.
    func testScoreWindowEqualsStream() throws {
        let candles = Array(Self.candles.prefix(180))
        let bytes = try ArtifactWriter.encode(Self.demo())
        var handle: OpaquePointer?
        var err = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(mc_model_open_bytes(bytes, bytes.count, &handle, &err, err.count), 0)
        defer { mc_model_free(handle) }
        let c = candles.map { mc_candle(timestamp: $0.timestamp, open: $0.open, high: $0.high, low: $0.low, close: $0.close, volume: $0.volume) }
        var out = mc_score()
        XCTAssertEqual(mc_score_window(handle, c, c.count, &out, &err, err.count), 0)
        var stream = try SymbolStream(model: model)
        var last: StreamScore?
        for candle in candles { last = try stream.push(candle) }
        XCTAssertEqual(out.p_long.bitPattern, last?.pLong.bitPattern)
        XCTAssertEqual(out.p_up.bitPattern, last?.pUp.bitPattern)
        XCTAssertEqual(out.signal, last?.decision.signal.rawValue)
        XCTAssertEqual(out.ready, 1)
        XCTAssertEqual(mc_model_warmup_candles(handle), Int32(model.warmup + 16))
    }
}
