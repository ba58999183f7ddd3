import Foundation
import ModelcData
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// Shared helpers: the real data folder, and hand-made CSV text parsed or written to disk.
enum TestSupport {
    /// `<package root>/../shared/data`.
    static let sharedData = RepositoryPaths.shared("data")

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
