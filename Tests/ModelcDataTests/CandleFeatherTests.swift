import Foundation
import ModelcData
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// Feather (Arrow IPC) candles. The fixture is what freqtrade's feather handler writes, made by
/// the real pandas and pyarrow (Tools/fixtures/feather.py) from the first 48 rows of
/// Models/data/BTCUSDT_1h_recent.csv; that CSV, read by the CSV reader, is the reference.
/// Bindings/python/tests/test_candle_formats.py covers the other writers' options end to end.
final class CandleFeatherTests: XCTestCase {
    static let fixture = RepositoryPaths.root.appendingPathComponent("Tests/ModelcDataTests/Fixtures/BTCUSDT_1h_48.feather")
    static let source = RepositoryPaths.root.appendingPathComponent("Models/data/BTCUSDT_1h_recent.csv")

    func testFreqtradeFeatherHoldsTheCandlesOfItsCSV() throws {
        let table = try CandleLoader.read(path: Self.fixture.path)
        let reference = try CandleLoader.read(path: Self.source.path)
        XCTAssertEqual(table.container, .feather)
        XCTAssertEqual(table.timestampFormat, .unixMicroseconds)
        XCTAssertEqual(table.rowCount, 48)
        XCTAssertEqual(table.malformed.total, 0)
        XCTAssertEqual(table.candles, Array(reference.candles.prefix(48)))
        XCTAssertTrue(table.layout.hasPrefix("columns date timestamp[us, tz=UTC], open float64"), table.layout)
        XCTAssertTrue(table.layout.hasSuffix("; lz4-compressed"), table.layout)
    }

    /// Every prefix of the file is refused with a format error naming it; nothing crashes.
    func testEveryCutOfTheFileIsRefused() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture))
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try CandleFeather.parse(Array(bytes.prefix(length)), file: "cut.feather"), "\(length) bytes") { error in
                guard case .format(file: "cut.feather", line: nil, let message)? = error as? CandleDataError else {
                    return XCTFail("\(length) bytes: \(error)")
                }
                XCTAssertFalse(message.isEmpty)
            }
        }
    }

    /// Any one byte flipped gives a format error naming the file, or candles (a flip in a value,
    /// in padding or in metadata the reader does not use); never a crash or an out-of-bounds read.
    func testEveryFlippedByteIsReadOrRefused() throws {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture))
        var refused = 0
        for position in bytes.indices {
            var corrupt = bytes
            corrupt[position] ^= 0xFF
            do {
                _ = try CandleFeather.parse(corrupt, file: "flipped.feather")
            } catch .format(file: "flipped.feather", line: nil, _) {
                refused += 1
            } catch {
                XCTFail("byte \(position): \(error)")
            }
        }
        XCTAssertGreaterThan(refused, 100)
    }

    /// The committed flatc output must come from the committed schema: run Tools/gen-arrow.sh
    /// after editing Schemas/arrow_ipc.fbs.
    func testGeneratedReaderMatchesSchema() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [RepositoryPaths.root.appendingPathComponent("Schemas/arrow_ipc.fbs").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let digest = String(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
        let header = try String(contentsOf: RepositoryPaths.root.appendingPathComponent("Sources/CArrowIPC/arrow_ipc_generated.h"), encoding: .utf8)
        XCTAssertTrue(header.contains("#define MODELC_ARROW_SCHEMA_SHA256 \"\(digest)\""),
                      "Schemas/arrow_ipc.fbs changed: run Tools/gen-arrow.sh and commit the result")
    }
}
