import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// Each problem kind on hand-made rows, with its row, line and timestamp; gaps; intervals.
final class CandleValidatorTests: XCTestCase {
    /// Hour `h` after 2017-08-17T00:00:00Z (1502928000), as CSV text.
    func hour(_ h: Int64) -> String { UTCTime.iso8601(1_502_928_000 + h * 3600) }
    func time(_ h: Int64) -> Int64 { 1_502_928_000 + h * 3600 }

    /// One file with every problem kind, one per row, checked in a single pass.
    func testEveryKindIsFoundWithRowLineAndTimestamp() throws {
        let text = TestSupport.header + """
            \(hour(0)),10,11,9,10.5,100
            \(hour(1)),10,11,9,10.5,100
            \(hour(1)),10,11,9,10.5,100
            \(hour(0)),10,11,9,10.5,100
            \(UTCTime.iso8601(time(2) + 1800)),10,11,9,10.5,100
            \(hour(3)),nan,11,9,10.5,inf
            \(hour(4)),10,11,0,10.5,100
            \(hour(5)),10,11,9,10.5,-1
            \(hour(6)),10,9,11,10,100
            \(hour(7)),12,11,9,10.5,100
            \(hour(8)),10,11,9,8.5,100
            \(hour(9)),10,11,9,x,100

            """
        let report = try TestSupport.check(text, interval: 3600, name: "bad.csv")
        let expected: [(CandleProblem.Kind, Int, Int64?, String)] = [
            (.duplicate, 3, time(1), "same timestamp as row 2"),
            (.unsorted, 4, time(0), "earlier than row 3 (\(hour(1))); rows must be in time order"),
            (.offGrid, 5, time(2) + 1800, "not on the 3600-second candle grid (1800 s after \(hour(2)))"),
            (.nonFinite, 6, time(3), "open is nan, volume is inf"),
            (.nonPositivePrice, 7, time(4), "low is 0.0; prices must be positive"),
            (.negativeVolume, 8, time(5), "volume is -1.0"),
            (.highBelowLow, 9, time(6), "high 9.0 is below low 11.0"),
            (.openOutsideRange, 10, time(7), "open 12.0 is outside [low 9.0, high 11.0]"),
            (.closeOutsideRange, 11, time(8), "close 8.5 is outside [low 9.0, high 11.0]"),
            (.malformedRow, 12, time(9), "close \"x\" is not a decimal number"),
        ]
        XCTAssertEqual(report.problems.total, expected.count, "\(report.problems.problems)")
        for (problem, want) in zip(report.problems.problems, expected) {
            XCTAssertEqual(problem.kind, want.0)
            XCTAssertEqual(problem.row, want.1, "\(want.0)")
            XCTAssertEqual(problem.line, want.1 + 1, "\(want.0)")
            XCTAssertEqual(problem.timestamp, want.2, "\(want.0)")
            XCTAssertEqual(problem.message, want.3)
        }
        XCTAssertFalse(report.isClean)
        XCTAssertEqual(report.problems.counts.values.reduce(0, +), expected.count)
        XCTAssertEqual(report.problems.problems[0].description, "row 3 (line 4), \(hour(1)): same timestamp as row 2")
    }

    /// A row with several value problems gets one problem per kind.
    func testOneRowCanHaveSeveralKinds() throws {
        let report = try TestSupport.check(TestSupport.header + "\(hour(0)),-1,11,9,12,-5\n\(hour(1)),10,11,9,10,1\n", interval: 3600)
        XCTAssertEqual(report.problems.problems.map(\.kind), [.nonPositivePrice, .negativeVolume, .openOutsideRange, .closeOutsideRange])
        XCTAssertTrue(report.problems.problems.allSatisfy { $0.row == 1 && $0.line == 2 && $0.timestamp == time(0) })
    }

    /// Far more problems than the log keeps: exact counts, the first ones listed in order.
    func testProblemsAreCappedButCountedExactly() throws {
        var rows: [Candle] = []
        for h in 0..<5000 as Range<Int64> {
            rows.append(Candle(timestamp: time(h), open: 10, high: h % 2 == 0 ? 8 : 11, low: 9, close: 10, volume: h % 3 == 0 ? -1 : 1))
        }
        let table = CandleTable(file: "many.h5", container: .hdf5, candles: rows, lines: [], timestampFormat: .unixSeconds, rowCount: rows.count)
        let report = try CandleValidator.check(table, interval: 3600, capacity: 100)
        XCTAssertEqual(report.problems.counts[.highBelowLow], 2500)
        XCTAssertEqual(report.problems.counts[.negativeVolume], 1667)
        XCTAssertEqual(report.problems.total, 4167)
        XCTAssertEqual(report.problems.problems.count, 100)
        XCTAssertEqual(report.problems.problems.first?.row, 1)
        XCTAssertNil(report.problems.problems.first?.line, "HDF5 rows have no line")
        XCTAssertEqual(report.problems.problems.map(\.row), report.problems.problems.map(\.row).sorted())
    }

    /// Malformed rows (from the reader) and validation problems merge in row order.
    func testMalformedAndValidationProblemsMergeInRowOrder() throws {
        let text = TestSupport.header + "\(hour(0)),10,11,9,10,1\n\(hour(1)),10,9,11,10,1\n\(hour(2)),10,11\n\(hour(3)),10,11,9,10,-1\n"
        let report = try TestSupport.check(text, interval: 3600)
        XCTAssertEqual(report.problems.problems.map(\.row), [2, 3, 4])
        XCTAssertEqual(report.problems.problems.map(\.kind), [.highBelowLow, .malformedRow, .negativeVolume])
    }

    func testGapsAreReportedNotProblems() throws {
        let hours: [Int64] = [0, 1, 2, 5, 6, 16, 17]
        let report = try TestSupport.check(TestSupport.header + hours.map { "\(hour($0)),10,11,9,10,0\n" }.joined())
        XCTAssertTrue(report.isClean)
        XCTAssertEqual(report.interval, 3600)
        XCTAssertEqual(report.intervalSource, .inferred)
        XCTAssertEqual(report.gaps, [CandleGap(start: time(3), end: time(4), missing: 2, row: 4),
                                     CandleGap(start: time(7), end: time(15), missing: 9, row: 6)])
        XCTAssertEqual(report.missingCandles, 11)
        XCTAssertEqual(report.largestGaps(1).first?.missing, 9)
        XCTAssertEqual(report.zeroVolumeCandles, 7)
    }

    /// An off-grid row also counts the grid points skipped around it, once.
    func testGapAroundAnOffGridRowCountsGridPointsBetween() throws {
        let times = [time(0), time(3) + 600, time(4)]
        let report = try TestSupport.check(TestSupport.header + times.map { "\(UTCTime.iso8601($0)),10,11,9,10,1\n" }.joined(), interval: 3600)
        XCTAssertEqual(report.problems.problems.map(\.kind), [.offGrid])
        XCTAssertEqual(report.gaps.map(\.missing), [3])  // hours 1, 2, 3 lie strictly between
    }

    func testIntervalInference() throws {
        func candles(_ times: [Int64]) -> [Candle] { times.map { Candle(timestamp: $0, open: 1, high: 1, low: 1, close: 1, volume: 1) } }
        XCTAssertEqual(CandleValidator.inferInterval(candles([0, 60, 120, 300, 360])), 60)
        XCTAssertEqual(CandleValidator.inferInterval(candles([0, 60, 180, 300, 360])), 60, "tie between 60 and 120: the smaller")
        XCTAssertEqual(CandleValidator.inferInterval(candles([0, 900, 1800, 1800, 900, 1800])), 900, "steps back are ignored")
        XCTAssertNil(CandleValidator.inferInterval(candles([100])))
        XCTAssertNil(CandleValidator.inferInterval(candles([100, 100])))

        let single = try TestSupport.check(TestSupport.header + "\(hour(0)),10,11,9,10,1\n")
        XCTAssertNil(single.interval)
        XCTAssertTrue(single.isClean)
        guard case .interval(_, let message)? = TestSupport.error({ try TestSupport.withFile(TestSupport.header + "\(hour(0)),10,11,9,10,1\n") { try CandleLoader.load(path: $0) } })
        else { return XCTFail() }
        XCTAssertTrue(message.contains("cannot infer the candle interval"), message)
    }

    func testGivenIntervalMustBePositiveAndAgreeWithTheFile() throws {
        let rows = [Candle(timestamp: 0, open: 1, high: 1, low: 1, close: 1, volume: 1), Candle(timestamp: 60, open: 1, high: 1, low: 1, close: 1, volume: 1)]
        let table = CandleTable(file: "m.h5", container: .hdf5, candles: rows, lines: [], timestampFormat: .unixSeconds, rowCount: 2,
                                metadata: CandleMetadata(symbol: "X", intervalSeconds: 60, source: ""))
        XCTAssertEqual(try CandleValidator.check(table).intervalSource, .file)
        XCTAssertEqual(try CandleValidator.check(table, interval: 60).intervalSource, .given)
        guard case .interval(let file, let message)? = TestSupport.error({ try CandleValidator.check(table, interval: 3600) }) else { return XCTFail() }
        XCTAssertEqual(file, "m.h5")
        XCTAssertTrue(message.contains("interval_seconds is 60, but 3600 was given"), message)
        guard case .interval? = TestSupport.error({ try CandleValidator.check(table, interval: 0) }) else { return XCTFail() }
    }

    /// Loading for training refuses problems, listing the first few with file, row and time.
    func testLoadRefusesAFileWithProblems() throws {
        let rows = (0..<8 as Range<Int64>).map { "\(hour($0)),10,9,11,10,1\n" }.joined()
        let error = TestSupport.error({ try TestSupport.withFile(TestSupport.header + rows) { try CandleLoader.load(path: $0, interval: 3600) } })
        guard case .rejected(let report)? = error else { return XCTFail("\(String(describing: error))") }
        XCTAssertEqual(report.problems.total, 8)
        let text = error!.description
        XCTAssertTrue(text.hasPrefix("\(report.file): 8 problems (8 high-below-low); refusing to use these candles."), text)
        XCTAssertTrue(text.contains("  row 1 (line 2), \(hour(0)): high 9.0 is below low 11.0"), text)
        XCTAssertTrue(text.contains("  row 5 (line 6)"), text)
        XCTAssertFalse(text.contains("row 6 (line 7)"), "only the first five are listed")
        XCTAssertTrue(text.contains("run `modelc data check \(report.file)`"), text)
    }
}

extension TestSupport {
    /// Writes `text` to a temporary file, runs `body` on its path, removes it.
    static func withFile<T>(_ text: String, _ body: (String) throws -> T) throws -> T {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("candles.csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return try body(path)
    }
}
