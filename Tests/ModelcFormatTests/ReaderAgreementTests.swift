import Foundation
import ModelcFormat
import ModelcRuntime
import ModelcTestSupport
import XCTest

/// The runtime's reader (protobuf-c) and swift-protobuf agree on every committed fuzz input: the
/// corpus and the regressions replayed through the differential check (Tools/fuzz/readers.swift).
final class ReaderAgreementTests: XCTestCase {
    private let fuzz = RepositoryPaths.root.appendingPathComponent("Tests/Fuzz")

    func testCorpusAndRegressionsAgree() throws {
        var artifacts = 0
        for folder in ["corpus", "regressions"] {
            let dir = fuzz.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() {
                let data = [UInt8](try Data(contentsOf: dir.appendingPathComponent(name)))
                if data.first == 0 || data.first == 1 { artifacts += 1 }
                XCTAssertNil(ReaderAgreement.disagreement(fuzzInput: data), "\(folder)/\(name)")
            }
        }
        XCTAssertGreaterThan(artifacts, 100)
    }

    /// A model name holding the byte 0xFF: swift-protobuf refuses it, and so must the runtime
    /// (it used to open it).
    func testInvalidUTF8IsRefusedByBothReaders() throws {
        let data = [UInt8](try Data(contentsOf: fuzz.appendingPathComponent("regressions/invalid-utf8-model-name")))
        XCTAssertThrowsError(try Modelc_Model(serializedBytes: Array(data.dropFirst())))
        XCTAssertNil(ReaderAgreement.disagreement(fuzzInput: data))
        var bytes = try ArtifactWriter.encode(TestModels.dense(), compression: .none)
        let at = try XCTUnwrap(bytes.indices.first { bytes[$0...].starts(with: Array("test-dense".utf8)) })
        bytes[at + 4] = 0xC0  // an overlong form: never valid UTF-8
        let header = try ArtifactFrame.readHeader(bytes)
        let body = Array(bytes[header.bodyOffset...])
        var h = try Modelc_Header(serializedBytes: Array(bytes[12..<header.bodyOffset]))
        h.bodyCrc32C = CRC32C.checksum(body)
        bytes = ArtifactWriter.frame(header: h, stored: body)
        XCTAssertThrowsError(try ModelLoader.load(bytes)) { error in
            XCTAssertEqual((error as? ModelcError)?.code, .invalidBody)
            XCTAssertEqual((error as? ModelcError)?.message, "body: ModelInfo.name is not valid UTF-8 without NUL bytes")
        }
    }
}
