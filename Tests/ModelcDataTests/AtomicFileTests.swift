import Foundation
import ModelcData
import ModelcFiles
import ModelcRuntime
import XCTest

/// The one atomic-write helper: a write that fails midway leaves the old file and nothing else.
final class AtomicFileTests: XCTestCase {
    struct Stop: Error {}

    func testAWriteThatFailsMidwayLeavesTheOldFileAndNoTemporaryFile() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("scores.csv").path
        try AtomicFile.write(Array("old\n".utf8), to: path)

        XCTAssertThrowsError(try AtomicFile.replace(path, failure: { _ in Stop() }) { (file) throws(Stop) in
            try file.write(Array("new, half of it".utf8)[...])
            throw Stop()
        })
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "old\n")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["scores.csv"])
    }

    func testPermissionsAreExactWhenGiven() throws {
        let folder = try TestSupport.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("key").path
        try AtomicFile.write([1, 2, 3], to: path, permissions: 0o600)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }
}
