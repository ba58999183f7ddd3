import CModelcSchema
import Foundation
import ModelcFormat
import ModelcTestSupport
import XCTest

/// The committed generated code must come from the committed schema: run
/// Tools/gen-schemas.sh after editing Schemas/modelc.proto.
final class SchemaDigestTests: XCTestCase {
    func testGeneratedCodeMatchesSchema() throws {
        let root = RepositoryPaths.root
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [root.appendingPathComponent("Schemas/modelc.proto").path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let digest = String(output.prefix(64))
        XCTAssertEqual(digest.count, 64)
        let hint = "Schemas/modelc.proto changed: run Tools/gen-schemas.sh and commit the result"
        XCTAssertEqual(generatedSchemaSHA256, digest, "Swift code: \(hint)")
        XCTAssertEqual(MODELC_SCHEMA_SHA256, digest, "C code: \(hint)")
    }
}
