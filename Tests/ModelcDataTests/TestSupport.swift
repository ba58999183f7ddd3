import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// Shared helpers: the real data folder, and hand-made CSV text parsed or written to disk.
enum TestSupport {
    /// `<package root>/../shared/data`, found from this file so a clone elsewhere works too.
    static let sharedData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/data")

    static let header = "timestamp,open,high,low,close,volume\n"

    /// A fresh empty folder for files a test writes.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-data-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Parses CSV text as the file `name`.
    static func parse(_ text: String, name: String = "test.csv") throws -> CandleTable {
        try CandleCSV.parse(Array(text.utf8), file: name)
    }

    /// Parses and validates CSV text.
    static func check(_ text: String, interval: Int64? = nil, name: String = "test.csv") throws -> CandleCheckReport {
        try CandleValidator.check(parse(text, name: name), interval: interval)
    }

    /// The `CandleDataError` a call throws, or a test failure.
    static func error<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> CandleDataError? {
        do {
            _ = try body()
            XCTFail("expected an error", file: file, line: line)
        } catch let error as CandleDataError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }
}

/// A small seeded generator (SplitMix64) so random samples are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
