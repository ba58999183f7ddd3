import Foundation
import ModelcFormat
import ModelcRuntime
import SwiftProtobuf
import XCTest

/// Every way an artifact can be wrong gets its own error code and a message naming the problem.
final class RefusalTests: XCTestCase {
    private func refusal(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> ModelcError? {
        do {
            _ = try ModelLoader.load(bytes)
            XCTFail("accepted a bad artifact", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    private func good(_ compression: BodyCompression = .zstd) throws -> [UInt8] {
        try ArtifactWriter.encode(TestModels.dense(), compression: compression)
    }

    private func headerLength(_ bytes: [UInt8]) -> Int {
        Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    }

    /// Re-frames the body of `bytes` with an edited header.
    private func reframe(_ bytes: [UInt8], _ edit: (inout Modelc_Header) -> Void) throws -> [UInt8] {
        let hl = headerLength(bytes)
        var header = try Modelc_Header(serializedBytes: Array(bytes[12..<(12 + hl)]))
        edit(&header)
        return ArtifactWriter.frame(header: header, stored: Array(bytes[(12 + hl)...]))
    }

    func testBadMagic() throws {
        var bytes = try good()
        bytes[1] = UInt8(ascii: "X")
        XCTAssertEqual(refusal(bytes)?.code, .badMagic)
        XCTAssertEqual(refusal(Array("timestamp,open,high,low,close,volume\n".utf8))?.code, .badMagic)
    }

    func testTruncatedHeaderAtEveryBoundary() throws {
        let bytes = try good()
        let end = 12 + headerLength(bytes)
        for cut in [0, 3, 8, 10, 12, 13, end - 1] {
            let error = refusal(Array(bytes[..<cut]))
            XCTAssertEqual(error?.code, .truncatedHeader, "cut at \(cut): \(error?.message ?? "")")
            XCTAssertTrue(error?.message.contains("truncated header") ?? false)
        }
    }

    func testTruncatedBody() throws {
        for compression in [BodyCompression.none, .zstd] {
            let bytes = try good(compression)
            let end = 12 + headerLength(bytes)
            for cut in [end, end + 1, bytes.count - 1] {
                let error = refusal(Array(bytes[..<cut]))
                XCTAssertEqual(error?.code, .truncatedBody, "cut at \(cut)")
                XCTAssertTrue(error?.message.contains("declares \(bytes.count - end) bytes") ?? false, error?.message ?? "")
            }
        }
    }

    func testTrailingBytes() throws {
        XCTAssertEqual(refusal(try good() + [0])?.code, .invalidHeader)
    }

    func testChecksumMismatch() throws {
        for compression in [BodyCompression.none, .zstd] {
            var bytes = try good(compression)
            bytes[bytes.count - 5] ^= 0x10
            let error = refusal(bytes)
            XCTAssertEqual(error?.code, .checksumMismatch)
            XCTAssertTrue(error?.message.contains("checksum") ?? false)
        }
    }

    func testNewerMajorIsRefusedBeforeTheBody() throws {
        // The body is garbage: a newer major must be refused without looking at it.
        var bytes = try reframe(try good()) { $0.formatMajor = 2; $0.formatMinor = 7 }
        bytes[bytes.count - 1] ^= 0xFF
        let error = refusal(bytes)
        XCTAssertEqual(error?.code, .unsupportedFormat)
        XCTAssertTrue(error?.message.contains("2.7") ?? false, error?.message ?? "")
    }

    func testNewerMinorIsRead() throws {
        let bytes = try reframe(try good()) { $0.formatMinor = 9 }
        XCTAssertEqual(try ModelLoader.load(bytes).name, "test-dense")
    }

    func testUnknownCapabilityIsRefusedByName() throws {
        let bytes = try reframe(try good()) { $0.requiredCapabilities = ($0.requiredCapabilities + ["lstm-peepholes"]).sorted() }
        let error = refusal(bytes)
        XCTAssertEqual(error?.code, .missingCapability)
        XCTAssertTrue(error?.message.contains("'lstm-peepholes'") ?? false)
    }

    /// Capabilities are non-empty names, sorted and listed once (Spec.md §1.1); any other list
    /// is refused by the runtime and by the swift-protobuf path (signing), which reads its framing.
    func testCapabilitiesMustBeSortedDistinctNames() throws {
        for (list, message) in [
            (["", "sequence-network"], "required capability 0 is an empty name"),
            (["tensor-f16", "sequence-network"], "required capabilities are not sorted: 'tensor-f16' comes before 'sequence-network'"),
            (["sequence-network", "sequence-network"], "required capability 'sequence-network' is listed twice"),
        ] {
            let bytes = try reframe(try good()) { $0.requiredCapabilities = list }
            let error = refusal(bytes)
            XCTAssertEqual(error?.code, .invalidHeader, "\(list)")
            XCTAssertEqual(error?.message, message)
            XCTAssertThrowsError(try ArtifactSigner.verify(bytes, trusting: nil)) { error in
                XCTAssertEqual(error as? SigningError, .invalidArtifact(message))
            }
        }
        XCTAssertNotNil(try? ModelLoader.load(try reframe(try good()) { $0.requiredCapabilities = ["sequence-network", "tensor-f16"] }))
    }

    func testTensorShapeDisagreesWithData() throws {
        var model = TestModels.dense()
        model.tensors[0].shape = [3, 3]
        let error = refusal(try ArtifactWriter.encode(model))
        XCTAssertEqual(error?.code, .invalidTensor)
        XCTAssertEqual(error?.message, "tensor 'w': shape [3, 3] of f32 needs 36 bytes, data has 24")
    }

    func testOverflowingShape() throws {
        var model = TestModels.dense()
        model.tensors[0].shape = [1 << 40, 1 << 40]
        XCTAssertEqual(refusal(try ArtifactWriter.encode(model))?.code, .invalidTensor)
    }

    func testInt8NeedsOneFiniteScalePerRow() throws {
        for scales: [Float] in [[0.5], [0.5, .nan], [0.5, -1]] {
            let q = Modelc_Tensor(name: "q", shape: [2, 2], int8: [1, 2, 3, 4], rowScales: [1, 1])
            var model = TestModels.dense(extra: [q])
            model.tensors[2].scales = scales
            let error = refusal(try ArtifactWriter.encode(model))
            XCTAssertEqual(error?.code, .invalidTensor)
            XCTAssertTrue(error?.message.hasPrefix("tensor 'q'") ?? false, error?.message ?? "")
        }
    }

    func testMissingTensorIsNamed() throws {
        var model = TestModels.dense()
        model.tensors.removeLast()
        let error = refusal(try ArtifactWriter.encode(model))
        XCTAssertEqual(error?.code, .invalidModel)
        XCTAssertEqual(error?.message, "component 'long', layer 'fc': tensor 'b' is missing")
    }

    func testBodyThatIsNotAModel() throws {
        let bytes = try reframe(try good(.none)) { _ in }
        var garbage = bytes
        let start = 12 + headerLength(bytes)
        for i in start..<garbage.count { garbage[i] = 0xFF }
        let patched = try reframe(garbage) { $0.bodyCrc32C = CRC32C.checksum(Array(garbage[start...])) }
        XCTAssertEqual(refusal(patched)?.code, .invalidBody)
    }

    func testZstdLengthMismatch() throws {
        let bytes = try reframe(try good(.zstd)) { $0.uncompressedLength += 1 }
        XCTAssertEqual(refusal(bytes)?.code, .decompressionFailed)
    }
}
