import Foundation
import CModelcKernels
import ModelcCompiler
import ModelcData
import ModelcFormat
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// `mc_stream_set_model` (Spec.md §4.7): after a swap the stream scores bit for bit as a fresh
/// stream of the new model fed the replayed candles, on real BTC candles. The new model has a
/// longer warm-up than the old one, so replaying the old model's warm-up, or the whole history,
/// would give different numbers or a gap.
final class StreamModelSwapTests: XCTestCase {
    private static let candles: [Candle] = {
        let path = RepositoryPaths.shared("data/ohlcv/BTCUSDT_1h.csv").path
        return Array(try! CandleLoader.load(path: path).candles.suffix(400))  // no gap
    }()

    /// The old model: demo seed 21, warm-up 100 + window 16.
    private static func old() -> Modelc_Model {
        var m = DemoModel.make(seed: 21)
        m.blend.entryThreshold = 0.52
        return m
    }

    /// The new model: other weights and a 130-candle feature warm-up (146 candles in all).
    private static func new(interval: UInt32 = 3600) -> Modelc_Model {
        var m = DemoModel.make(seed: 22)
        m.blend.entryThreshold = 0.52
        m.features.warmup = 130
        m.features.intervalSeconds = interval
        return m
    }

    private let newModel = try! ModelLoader.load(try! ArtifactWriter.encode(StreamModelSwapTests.new()))

    private func open(_ m: Modelc_Model) throws -> OpaquePointer? {
        let bytes = try ArtifactWriter.encode(m)
        var handle: OpaquePointer?
        var err = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(mc_model_open_bytes(bytes, bytes.count, &handle, &err, err.count), 0, text(err))
        return handle
    }

    private func text(_ err: [CChar]) -> String {
        String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func mc(_ c: Candle) -> mc_candle {
        mc_candle(timestamp: c.timestamp, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume)
    }

    private func push(_ stream: OpaquePointer?, _ c: Candle) throws -> mc_score {
        var out = mc_score()
        var err = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(mc_stream_push(stream, [mc(c)], &out, &err, err.count), 0, text(err))
        return out
    }

    /// A stream of the old model fed `before`, swapped to the new model, then fed `after`.
    private func swapped(before: [Candle], after: [Candle], freeNewModel: Bool = true) throws -> [mc_score] {
        let oldHandle = try open(Self.old()), newHandle = try open(Self.new())
        var stream: OpaquePointer?
        var err = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(mc_stream_create(oldHandle, &stream, &err, err.count), 0)
        defer { mc_stream_free(stream) }
        mc_model_free(oldHandle)  // the stream keeps its model alive
        for c in before { _ = try push(stream, c) }
        XCTAssertEqual(mc_stream_set_model(stream, newHandle, &err, err.count), 0, text(err))
        if freeNewModel { mc_model_free(newHandle) }
        let scores = try after.map { try push(stream, $0) }
        if !freeNewModel { mc_model_free(newHandle) }
        return scores
    }

    /// The reference: a fresh stream of the new model fed `candles`; the scores of the last `count`.
    private func fresh(_ candles: ArraySlice<Candle>, last count: Int) throws -> [StreamScore] {
        var s = try SymbolStream(model: newModel)
        return Array(try candles.map { try s.push($0) }.suffix(count))
    }

    private func assertSameBits(_ got: [mc_score], _ want: [StreamScore], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, file: file, line: line)
        for (g, w) in zip(got, want) {
            XCTAssertEqual(g.timestamp, w.timestamp, file: file, line: line)
            XCTAssertEqual(g.p_long.bitPattern, w.pLong.bitPattern, "p_long at \(g.timestamp)", file: file, line: line)
            XCTAssertEqual(g.p_up.bitPattern, w.pUp.bitPattern, "p_up at \(g.timestamp)", file: file, line: line)
            XCTAssertEqual(g.p_short.bitPattern, w.pShort.bitPattern, file: file, line: line)
            XCTAssertEqual(g.confidence.bitPattern, w.decision.confidence.bitPattern, file: file, line: line)
            XCTAssertEqual(g.size.bitPattern, w.decision.size.bitPattern, file: file, line: line)
            XCTAssertEqual(g.signal, w.decision.signal.rawValue, file: file, line: line)
            XCTAssertEqual(g.ready, w.ready ? 1 : 0, file: file, line: line)
        }
    }

    func testSwapScoresAsAFreshStreamOfTheNewModelWithNoGap() throws {
        let candles = Self.candles, at = 250
        let warmup = try SymbolStream(model: newModel).warmupCandles
        XCTAssertEqual(warmup, 146)
        let got = try swapped(before: Array(candles[..<at]), after: Array(candles[at...]))
        XCTAssertEqual(got.first?.ready, 1, "the first candle after the swap is scored by the new model")
        assertSameBits(got, try fresh(candles[(at - warmup)...], last: candles.count - at))
        XCTAssertTrue(got.contains { $0.signal != 0 } && got.contains { $0.signal == 0 }, "a meaningful comparison")
    }

    /// Fewer candles held than the new model's warm-up: it warms up over the next candles,
    /// exactly as a fresh stream fed the whole run would.
    func testShortHistoryWarmsUpAsAFreshStream() throws {
        let candles = Self.candles, at = 60
        let got = try swapped(before: Array(candles[..<at]), after: Array(candles[at..<300]), freeNewModel: false)
        assertSameBits(got, try fresh(candles[..<300], last: 300 - at))
        XCTAssertEqual(got.firstIndex { $0.ready == 1 }.map { $0 + at }, 145)
    }

    /// The history holds only the current gap-free run, so a swap after a gap replays no candle
    /// from before it.
    func testHistoryRestartsAtAGap() throws {
        var candles = Self.candles
        candles.remove(at: 200)
        var stream = try SymbolStream(model: try ModelLoader.load(try ArtifactWriter.encode(Self.old())))
        for c in candles[..<260] { _ = try stream.push(c) }
        XCTAssertEqual(stream.historyCount, 60)
        try stream.setModel(newModel)
        let got = try candles[260...].map { try stream.push($0) }
        let want = try fresh(candles[200...], last: candles.count - 260)
        XCTAssertEqual(got.map(\.pLong.bitPattern), want.map(\.pLong.bitPattern))
        XCTAssertEqual(got.map(\.decision), want.map(\.decision))
        stream.reset()
        XCTAssertEqual(stream.historyCount, 0)
    }

    /// A model reading other candles is refused, and the stream goes on with its model.
    func testOtherIntervalIsRefusedAndChangesNothing() throws {
        let oldHandle = try open(Self.old()), fourHour = try open(Self.new(interval: 14_400))
        defer { mc_model_free(oldHandle); mc_model_free(fourHour) }
        var a: OpaquePointer?, b: OpaquePointer?
        var err = [CChar](repeating: 0, count: 256)
        XCTAssertEqual(mc_stream_create(oldHandle, &a, &err, err.count), 0)
        XCTAssertEqual(mc_stream_create(oldHandle, &b, &err, err.count), 0)
        defer { mc_stream_free(a); mc_stream_free(b) }
        for c in Self.candles[..<200] {
            _ = try push(a, c)
            _ = try push(b, c)
        }
        XCTAssertEqual(mc_stream_set_model(a, fourHour, &err, err.count), 14)
        let message = text(err)
        XCTAssertTrue(message.contains("14400-second") && message.contains("3600-second"), message)
        XCTAssertEqual(mc_stream_history_count(a), 200)
        XCTAssertEqual(mc_stream_set_model(a, nil, &err, err.count), 14)
        for c in Self.candles[200...] {
            let x = try push(a, c), y = try push(b, c)
            XCTAssertEqual(x.p_long.bitPattern, y.p_long.bitPattern)
            XCTAssertEqual(x.signal, y.signal)
        }
    }
}
