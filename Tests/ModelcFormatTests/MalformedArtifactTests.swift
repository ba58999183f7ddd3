import Foundation
import ModelcFormat
import ModelcRuntime
import XCTest

/// Hostile and damaged artifacts (Spec.md §6): every one is refused with a specific code and a
/// message naming the problem, never a crash, a hang or an unbounded allocation. Artifacts are
/// built here with swift-protobuf, independently of the runtime's protobuf-c reader.
final class MalformedArtifactTests: XCTestCase {
    private func load(_ bytes: [UInt8]) -> Result<LoadedModel, ModelcError> {
        do { return .success(try ModelLoader.load(bytes)) } catch { return .failure(error) }
    }

    private func refusal(_ model: Modelc_Model, file: StaticString = #filePath, line: UInt = #line) -> ModelcError? {
        guard case .failure(let error) = load(try! ArtifactWriter.encode(model, compression: .none)) else {
            XCTFail("accepted a bad artifact", file: file, line: line)
            return nil
        }
        return error
    }

    private func assertRefused(_ model: Modelc_Model, _ code: ErrorCode, _ message: String,
                               file: StaticString = #filePath, line: UInt = #line) {
        let error = refusal(model, file: file, line: line)
        XCTAssertEqual(error?.code, code, error?.message ?? "", file: file, line: line)
        XCTAssertEqual(error?.message, message, file: file, line: line)
    }

    private func headerLength(_ bytes: [UInt8]) -> Int {
        Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
    }

    /// The artifact with its body replaced by `body` and a header that fits it (correct CRC).
    private func reframe(_ bytes: [UInt8], body: [UInt8]) throws -> [UInt8] {
        var header = try Modelc_Header(serializedBytes: Array(bytes[12..<(12 + headerLength(bytes))]))
        header.bodyLength = UInt64(body.count)
        header.uncompressedLength = UInt64(body.count)
        header.bodyCrc32C = CRC32C.checksum(body)
        return ArtifactWriter.frame(header: header, stored: body)
    }

    // MARK: framing

    func testTruncationAtEveryByteNamesWhereTheFileEnds() throws {
        for compression in [BodyCompression.none, .zstd] {
            let bytes = try ArtifactWriter.encode(TestModels.dense(), compression: compression)
            let bodyStart = 12 + headerLength(bytes)
            for cut in 0..<bytes.count {
                guard case .failure(let error) = load(Array(bytes[..<cut])) else {
                    XCTFail("\(compression) cut at \(cut) was accepted")
                    continue
                }
                let expected: ErrorCode = cut < bodyStart ? .truncatedHeader : .truncatedBody
                XCTAssertEqual(error.code, expected, "\(compression) cut at \(cut): \(error.message)")
                XCTAssertTrue(error.message.hasPrefix("truncated"), error.message)
            }
        }
    }

    func testBitFlipsAreCaughtByTheChecksumOrRefusedByTheParser() throws {
        let bytes = try ArtifactWriter.encode(TestModels.dense(), compression: .none)
        let bodyStart = 12 + headerLength(bytes)
        let body = Array(bytes[bodyStart...])
        var random = SplitMix64(seed: 9)  // a failure names a reproducible case
        func draw(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        for _ in 0..<400 {
            // Anywhere in the body: a single flipped bit always changes the CRC-32C.
            var flipped = bytes
            let at = bodyStart + draw(body.count)
            flipped[at] ^= UInt8(1 << draw(8))
            guard case .failure(let error) = load(flipped) else { XCTFail("flip at \(at) accepted"); continue }
            XCTAssertEqual(error.code, .checksumMismatch, "flip at \(at): \(error.message)")
        }
        let parserCodes: [ErrorCode] = [.invalidBody, .invalidTensor, .invalidModel, .limitExceeded]
        for _ in 0..<1500 {
            // With the checksum made to fit, the parser and validation see the damage.
            var damaged = body
            for _ in 0...draw(3) { damaged[draw(body.count)] ^= UInt8(1 << draw(8)) }
            switch load(try reframe(bytes, body: damaged)) {
            case .success(let model):
                var stream = try? SymbolStream(model: model)
                for i in 0..<40 {
                    let p = 100 + Double(i % 5)
                    _ = try? stream?.push(Candle(timestamp: 3600 * Int64(i), open: p, high: p + 1, low: p - 1, close: p, volume: 5))
                }
            case .failure(let error):
                XCTAssertTrue(parserCodes.contains(error.code), "\(error.code): \(error.message)")
                XCTAssertFalse(error.message.isEmpty)
            }
        }
    }

    func testHeaderBitFlipsAreRefusedBeforeTheBody() throws {
        let bytes = try ArtifactWriter.encode(TestModels.dense(), compression: .zstd)
        let bodyStart = 12 + headerLength(bytes)
        for at in 0..<bodyStart {
            for bit in 0..<8 {
                var flipped = bytes
                flipped[at] ^= UInt8(1 << bit)
                if case .failure(let error) = load(flipped) { XCTAssertFalse(error.message.isEmpty) }
                // A flip in an unused bit of a varint can leave the header meaning the same.
            }
        }
    }

    func testDecompressionBombIsRefusedBeforeAllocating() throws {
        let bytes = try ArtifactWriter.encode(TestModels.dense(), compression: .zstd)
        var header = try Modelc_Header(serializedBytes: Array(bytes[12..<(12 + headerLength(bytes))]))
        let stored = Array(bytes[(12 + headerLength(bytes))...])
        header.uncompressedLength = 1 << 30
        guard case .failure(let error) = load(ArtifactWriter.frame(header: header, stored: stored)) else {
            return XCTFail("accepted")
        }
        let limit = (1 << 20) + 1024 * stored.count
        XCTAssertEqual(error.code, .limitExceeded)
        XCTAssertEqual(error.message,
            "body of \(stored.count) bytes declares 1073741824 bytes decompressed, more than the limit of \(limit) (1024 per stored byte + 1 MiB)")
    }

    func testParsingIsBoundedByTheBodySize() throws {
        // A million empty `tensors` entries: 2 bytes each on disk, a whole struct each in memory.
        let body: [UInt8] = (0..<2_000_000).map { $0 % 2 == 0 ? 0x32 : 0 }
        let bytes = try reframe(try ArtifactWriter.encode(TestModels.dense(), compression: .none), body: body)
        guard case .failure(let error) = load(bytes) else { return XCTFail("accepted") }
        XCTAssertEqual(error.code, .limitExceeded)
        XCTAssertEqual(error.message,
            "body (2000000 bytes) needs more than \(16 << 20 + 16 * 2_000_000) bytes of memory to parse (limit: 16 per body byte + 16 MiB)")
    }

    // MARK: counts and shapes

    func testShapesThatOverflowOrHideAHugeDimension() {
        var model = TestModels.dense()
        model.tensors[0].shape = [0, 1 << 63]
        assertRefused(model, .invalidTensor, "tensor 'w': shape [0, 9223372036854775808] has too many elements")
        model.tensors[0].shape = [UInt64.max, 2]
        assertRefused(model, .invalidTensor, "tensor 'w': shape [18446744073709551615, 2] has too many elements")
        model.tensors[0].shape = [1 << 16, 1 << 16]
        assertRefused(model, .invalidTensor, "tensor 'w': shape [65536, 65536] has too many elements")
        model.tensors[0].shape = [1, 1, 1, 1, 1, 1, 3, 1, 2]
        assertRefused(model, .limitExceeded, "tensor 'w': 9 dimensions exceed the limit of 8")
    }

    func testHugeCountsAreRefusedBeforeAllocating() {
        var model = TestModels.dense()
        model.components[0].input.window = UInt32.max
        assertRefused(model, .limitExceeded, "component 'long': window (timesteps): 4294967295 exceeds the limit of 4096")
        model = TestModels.dense()
        model.features.warmup = UInt32.max
        assertRefused(model, .limitExceeded, "feature warm-up (candles): 4294967295 exceeds the limit of 1000000")
        model = TestModels.dense()
        model.components[0].members[0].network.sequenceLength = 1 << 31
        assertRefused(model, .limitExceeded, "component 'long': network sequence length: 2147483648 exceeds the limit of 4096")
        model = TestModels.dense()
        model.components[0].members[0].network.layers[0].dense.outFeatures = UInt32.max
        assertRefused(model, .limitExceeded, "component 'long', layer 'fc': dense outputs: 4294967295 exceeds the limit of 65536")
        model = TestModels.dense()
        model.components[0].members[0].network.layers = Array(repeating: model.components[0].members[0].network.layers[1], count: 65)
        assertRefused(model, .limitExceeded, "component 'long': network layers: 65 exceeds the limit of 64")
        model = TestModels.dense(extra: (0..<4095).map { Modelc_Tensor(name: "t\($0)", shape: [1], f32: [0]) })
        assertRefused(model, .limitExceeded, "tensors: 4097 exceeds the limit of 4096")
        model = TestModels.dense()
        model.components = Array(repeating: model.components[0], count: 65)
        assertRefused(model, .limitExceeded, "components: 65 exceeds the limit of 64")
    }

    func testAHugeLstmIsRefusedBeforeItsRowOrderIsBuilt() {
        var model = TestModels.dense()
        var lstm = Modelc_LstmLayer()
        lstm.inputSize = 2
        lstm.hiddenSize = UInt32.max
        lstm.gateLayout = .gatesInterleavedIfgo
        model.components[0].members[0].network.layers[0].lstm = lstm
        assertRefused(model, .limitExceeded,
                      "component 'long', layer 'fc': LSTM hidden size 4294967295 exceeds the limit of 65536")
    }

    func testOverlongStringsAreRefused() {
        var model = TestModels.dense()
        model.components[0].name = String(repeating: "x", count: 1025)
        assertRefused(model, .limitExceeded, "component name: string longer than the limit of 1024 bytes")
        model = TestModels.dense()
        model.info.version = String(repeating: "9", count: 5000)
        assertRefused(model, .limitExceeded, "info.version: string longer than the limit of 1024 bytes")
    }

    // MARK: values

    func testNonFiniteWeightsAndScalesAreRefused() {
        for (value, element) in [(Float.nan, 4), (.infinity, 0), (-.infinity, 5)] {
            var model = TestModels.dense()
            var w = (0..<6).map { Float($0) }
            w[element] = value
            model.tensors[0] = Modelc_Tensor(name: "w", shape: [3, 2], f32: w)
            assertRefused(model, .invalidTensor, "tensor 'w': element \(element) is not finite (NaN or infinity)")
        }
        var model = TestModels.dense()
        model.tensors[1] = Modelc_Tensor(name: "b", shape: [3], f16: [0, 1, .infinity])
        assertRefused(model, .invalidTensor, "tensor 'b': element 2 is not finite (NaN or infinity)")
        model = TestModels.dense(extra: [Modelc_Tensor(name: "q", shape: [2, 1], int8: [1, 2], rowScales: [1, .infinity])])
        assertRefused(model, .invalidTensor, "tensor 'q': scale of row 1 is not a finite positive number")
        model = TestModels.dense()
        model.components[0].input.scaler.kind = .scalerStandard
        model.components[0].input.scaler.shift = [0, 0]
        model.components[0].input.scaler.scale = [1, .nan]
        assertRefused(model, .invalidModel, "component 'long': scaler value 1 is not finite")
    }

    func testUnknownEnumValuesAreNamed() {
        var model = TestModels.dense()
        model.components[0].members[0].network.layers[1].activation = .UNRECOGNIZED(42)
        assertRefused(model, .invalidModel, "component 'long', layer 'last': unknown activation 42")
        model = TestModels.dense()
        model.components[0].members[0].network.layers[1].pooling = .UNRECOGNIZED(7)
        assertRefused(model, .invalidModel, "component 'long', layer 'last': unknown pooling 7")
        model = TestModels.dense()
        model.tensors[0].dtype = .UNRECOGNIZED(9)
        assertRefused(model, .invalidTensor, "tensor 'w': unknown dtype 9")
        model = TestModels.dense()
        model.components[0].role = .UNRECOGNIZED(12)
        assertRefused(model, .invalidModel, "component 'long': unknown role 12")
        model = TestModels.dense()
        model.features.features[1].kind = .UNRECOGNIZED(999)
        assertRefused(model, .invalidModel, "feature 1 '\(model.features.features[1].name)': unknown kind 999")
        model = TreeModels.single()
        model.components[0].members[0].trees.link = .UNRECOGNIZED(5)
        assertRefused(model, .invalidModel, "component 'up', member 0: unknown link 5")
        model = TreeModels.single()
        model.components[0].members[0].trees.trees[0].missing[0] = .UNRECOGNIZED(8)
        assertRefused(model, .invalidModel, "component 'up', member 0, tree 0, node 0: unknown missing rule 8")
    }

    func testMissingRequiredTensorsAreNamed() {
        var model = TestModels.dense()
        model.tensors.removeFirst()
        assertRefused(model, .invalidModel, "component 'long', layer 'fc': tensor 'w' is missing")
        model = TestModels.dense()
        var lstm = Modelc_LstmLayer()
        lstm.inputSize = 2
        lstm.hiddenSize = 1
        lstm.direction = .lstmBidirectional
        lstm.forward.weightIh = "ih"
        lstm.forward.weightHh = "hh"
        lstm.forward.bias = "bias"
        model.components[0].members[0].network.layers[0].lstm = lstm
        model.tensors = [
            Modelc_Tensor(name: "ih", shape: [4, 2], f32: [Float](repeating: 0, count: 8)),
            Modelc_Tensor(name: "hh", shape: [4, 1], f32: [0, 0, 0, 0]),
            Modelc_Tensor(name: "bias", shape: [4], f32: [0, 0, 0, 0]),
        ]
        assertRefused(model, .invalidModel, "component 'long', layer 'fc': LSTM has no reverse weights")
    }

    // MARK: trees

    func testTreeCyclesAndOutOfRangeChildrenAreRefused() {
        // The valid tree is node 0 splitting into leaves 1 and 2.
        let cases: [(left: [Int32], right: [Int32], node: Int, children: String)] = [
            ([1, 0, -1], [2, 2, -1], 1, "0 and 2"),     // a cycle back to the root
            ([1, -1, -1], [7, -1, -1], 0, "1 and 7"),   // past the last node
            ([-5, -1, -1], [2, -1, -1], 0, "-5 and 2"), // negative, but not the leaf marker
            ([2, -1, -1], [2, -1, -1], 0, "2 and 2"),   // both sides the same node
        ]
        for c in cases {
            var model = TreeModels.single()
            model.components[0].members[0].trees.trees[0].leftChild = c.left
            model.components[0].members[0].trees.trees[0].rightChild = c.right
            assertRefused(model, .invalidModel,
                "component 'up', member 0, tree 0, node \(c.node): children \(c.children) must be distinct nodes after \(c.node) and below 3")
        }
    }

    func testDeepTreesAndTooManyTreesAreRefused() {
        var model = TreeModels.single()
        model.components[0].members[0].trees.trees = [TreeModels.chain(depth: 1025)]
        assertRefused(model, .limitExceeded, "component 'up', member 0, tree 0, node 2048: deeper than the limit of 1024")
        model.components[0].members[0].trees.trees = [TreeModels.chain(depth: 1024)]
        XCTAssertNotNil(try? ModelLoader.load(try ArtifactWriter.encode(model, compression: .none)))
        model.components[0].members[0].trees.trees = Array(repeating: Modelc_Tree(), count: 100_001)   // refused before any is read
        assertRefused(model, .limitExceeded, "component 'up', member 0: trees: 100001 exceeds the limit of 100000")
    }

    func testNonFiniteTreeValuesAreRefused() {
        var model = TreeModels.single()
        model.components[0].members[0].trees.trees[0].leafValue[1] = .nan
        assertRefused(model, .invalidModel, "component 'up', member 0, tree 0, node 1: leaf value is not finite")
        model = TreeModels.single()
        model.components[0].members[0].trees.baseScore = .infinity
        assertRefused(model, .invalidModel, "component 'up', member 0: base_score is not finite")
        model = TreeModels.single()
        model.components[0].members[0].trees.trees[0].threshold[0] = .nan
        assertRefused(model, .invalidModel, "component 'up', member 0, tree 0, node 0: threshold is NaN")
    }
}

/// A one-tree direction component over two features, and chain-shaped trees.
enum TreeModels {
    static func single() -> Modelc_Model {
        var m = TestModels.dense()
        m.tensors = []
        var ensemble = Modelc_TreeEnsemble()
        ensemble.numFeatures = 2
        ensemble.link = .logistic
        ensemble.trees = [chain(depth: 1)]
        var member = Modelc_Member()
        member.trees = ensemble
        m.components = [TestModels.component("up", role: .roleDirection, member: member)]
        return m
    }

    /// A tree whose every split has a leaf on the left and the next split on the right:
    /// `depth` splits deep, nodes 2k+1 leaves and 2k+2 the next split.
    static func chain(depth: Int) -> Modelc_Tree {
        var t = Modelc_Tree()
        let n = 2 * depth + 1
        for i in 0..<n {
            let split = i % 2 == 0 && i < n - 1
            t.leftChild.append(split ? Int32(i + 1) : -1)
            t.rightChild.append(split ? Int32(i + 2) : -1)
            t.splitFeature.append(0)
            t.threshold.append(Double(i))
            t.defaultLeft.append(true)
            t.missing.append(.missingNanDefault)
            t.leafValue.append(split ? 0 : 0.125)
        }
        return t
    }
}
