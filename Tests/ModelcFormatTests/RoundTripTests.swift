import CModelcSchema
import CProtobufC
import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import SwiftProtobuf
import XCTest

/// Swift (swift-protobuf) writes, the runtime (protobuf-c) reads, and back.
final class RoundTripTests: XCTestCase {
    func testRuntimeReadsWhatSwiftWrote() throws {
        for compression in [BodyCompression.none, .zstd] {
            let model = TestModels.dense()
            let loaded = try ModelLoader.load(try ArtifactWriter.encode(model, compression: compression))
            XCTAssertEqual(loaded.header.compression, compression)
            XCTAssertEqual(loaded.header.requiredCapabilities, ["sequence-network"])
            XCTAssertEqual(loaded.name, "test-dense")
            XCTAssertEqual(loaded.version, "1.2.3")
            XCTAssertEqual(loaded.createdUnix, 1_700_000_000)
            XCTAssertEqual(loaded.intervalSeconds, 3600)
            XCTAssertEqual(loaded.warmup, 10)
            XCTAssertEqual(loaded.features.map(\.name), ["log_return_1", "log_return_3"])
            XCTAssertEqual(loaded.features.map(\.kind), [.logReturn, .logReturn])
            XCTAssertEqual(loaded.features.map(\.params), [[1], [3]])
            XCTAssertEqual(loaded.components.map(\.name), ["long"])
            XCTAssertEqual(loaded.components[0].role, .long)
            XCTAssertEqual(loaded.components[0].inputFeatures, [0, 1])
            let w = try XCTUnwrap(loaded.tensor(named: "w"))
            XCTAssertEqual(w.shape, [3, 2])
            XCTAssertEqual(TestModels.floats(w), [-1, -0.5, 0, 0.5, 1, 1.5])
            XCTAssertEqual(TestModels.floats(try XCTUnwrap(loaded.tensor(named: "b"))), [0.25, -0.5, 1e-8])
        }
    }

    /// A tensor over 1 MB, with and without zstd, arrives bit for bit.
    func testLargeTensor() throws {
        let values = (0..<400_000).map { Float(sin(Double($0) * 0.001)) * 3 }
        let model = TestModels.dense(extra: [Modelc_Tensor(name: "big", shape: [1000, 400], f32: values)])
        for compression in [BodyCompression.none, .zstd] {
            let bytes = try ArtifactWriter.encode(model, compression: compression)
            let big = try XCTUnwrap(try ModelLoader.load(bytes).tensor(named: "big"))
            XCTAssertEqual(big.data.count, 1_600_000)
            XCTAssertEqual(TestModels.floats(big).map(\.bitPattern), values.map(\.bitPattern))
        }
    }

    /// protobuf-c parses the Swift body and packs it back to the same bytes, which
    /// swift-protobuf parses back into the same message.
    func testProtobufCRepacksIdenticalBytes() throws {
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        for model in [TestModels.dense(), DemoModel.make()] {
            let swiftBytes: [UInt8] = try model.serializedBytes(options: options)
            let cBytes: [UInt8] = try swiftBytes.withUnsafeBufferPointer { buf in
                let msg = try XCTUnwrap(modelc__model__unpack(nil, buf.count, buf.baseAddress))
                defer { modelc__model__free_unpacked(msg, nil) }
                let size = modelc__model__get_packed_size(msg)
                var out = [UInt8](repeating: 0, count: size)
                XCTAssertEqual(out.withUnsafeMutableBufferPointer { modelc__model__pack(msg, $0.baseAddress) }, size)
                return out
            }
            XCTAssertEqual(cBytes, swiftBytes)
            XCTAssertEqual(try Modelc_Model(serializedBytes: cBytes), model)
        }
    }

    func testSameModelSameBytes() throws {
        let a = try ArtifactWriter.encode(DemoModel.make())
        let b = try ArtifactWriter.encode(DemoModel.make())
        XCTAssertEqual(a, b)
        XCTAssertEqual(try Artifact(bytes: a).model, DemoModel.make())
    }

    func testCapabilitiesFollowTheBody() throws {
        var model = TestModels.dense(extra: [Modelc_Tensor(name: "q", shape: [2, 2], int8: [1, -2, 3, -4], rowScales: [0.5, 0.25])])
        var f16 = Modelc_Tensor()
        f16.name = "h"
        f16.dtype = .f16
        f16.shape = [2]
        f16.data = Data([0, 0x3C, 0, 0xC0])  // 1.0, -2.0
        model.tensors.append(f16)
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model))
        XCTAssertEqual(loaded.header.requiredCapabilities, ["sequence-network", "tensor-f16", "tensor-int8"])
        let q = try XCTUnwrap(loaded.tensor(named: "q"))
        XCTAssertEqual(q.dtype, .int8)
        XCTAssertEqual(q.data.map { Int8(bitPattern: $0) }, [1, -2, 3, -4])
        XCTAssertEqual(q.scales, [0.5, 0.25])
    }
}
