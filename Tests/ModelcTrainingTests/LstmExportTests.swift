import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import Synchronization
import XCTest
@testable import ModelcTraining

/// Train/serve parity: weights the trainer exports as safetensors go through the PyTorch
/// importer and the f32 compiler into an artifact whose runtime logits equal the trainer's.
final class LstmExportTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("lstm-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// A small seed-shaped network on the 19 base features, trained a few steps.
    private func trainedModel(_ spec: NetworkSpec) throws -> (SequenceModel, SequenceDataset) {
        var rng = NNRandom(seed: 21)
        let n = 96, steps = spec.sequenceLength
        let windows = (0..<(n * steps * 19)).map { _ in Float(rng.normal()) }
        let labels = (0..<n).map { i in Int32(windows[(i * steps + steps - 1) * 19] > 0 ? 1 : 0) }
        let data = try SequenceDataset(windows: windows, labels: labels, sequenceLength: steps, featureCount: 19)
        var config = LstmTrainingConfig()
        config.epochs = 2
        config.batchSize = 32
        config.optimizer.learningRate = 5e-3
        let trainer = try LstmTrainer(model: try SequenceModel(spec: spec, seed: 8), config: config)
        try trainer.train(train: data, validation: data)
        return (trainer.model, data)
    }

    private func compile(_ model: SequenceModel) throws -> NetworkDefinition {
        let weights = folder.appendingPathComponent("w.safetensors").path
        try model.exportSafetensors(to: weights, metadata: ["note": "parity \"test\""])
        let yaml = try model.pytorchArchitectureYAML(name: "parity")
        let imported = try PyTorchImporter.importModel(architecture: try PyTorchArchitecture(yaml: yaml, file: "parity.yaml"),
                                                       weights: try Safetensors(path: weights))
        let (compiled, _) = try PassPipeline.run(imported, precision: .f32)
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(compiled))
        let member = try XCTUnwrap(loaded.components.first?.members.first)
        guard case .network(let net) = member.kind else { throw ModelcError(.invalidModel, "the component holds no network") }
        return net
    }

    private func checkParity(_ spec: NetworkSpec) throws {
        let (model, data) = try trainedModel(spec)
        let net = try compile(model)
        let windows = data.windows, per = spec.sequenceLength * 19
        let ours = try model.logits(windows: windows, count: data.count)
        var worst: Float = 0
        for i in 0..<data.count {
            let theirs = try NetworkRunner.logits(net, window: Array(windows[(i * per)..<((i + 1) * per)]))
            XCTAssertEqual(theirs.count, 2)
            for c in 0..<2 { worst = max(worst, abs(theirs[c] - ours[2 * i + c])) }
        }
        XCTAssertLessThan(worst, 1e-5, "max |Δ logit| trainer vs runtime")
        XCTAssertGreaterThan(ours.map(abs).max()!, 0.05)
    }

    func testSeedShapedNetworkRunsTheSameInTheRuntime() throws {
        try checkParity(.seed(inputSize: 19, sequenceLength: 16, hidden: 8, heads: 2, fcHidden: 8))
    }

    func testOtherLayersRunTheSameInTheRuntime() throws {
        try checkParity(NetworkSpec(inputSize: 19, sequenceLength: 10, layers: [
            .lstm(module: "rnn", hiddenSize: 6, numLayers: 1, bidirectional: false, dropout: 0),
            .attention(module: "mha", heads: 3, lastQueryOnly: false),
            .dense(module: "proj", outputs: 5, bias: false), .activation(.tanh), .pooling(.mean),
            .dense(module: "head.0", outputs: 4, bias: true), .activation(.sigmoid), .dropout(0.1),
            .dense(module: "head.2", outputs: 2, bias: true),
        ]))
    }

    /// The compiler's safetensors reader sees our names, shapes and bits.
    func testSafetensorsReadBack() throws {
        let model = try SequenceModel(spec: .seed(inputSize: 23, sequenceLength: 8, hidden: 4, heads: 2, fcHidden: 3), seed: 4)
        let path = folder.appendingPathComponent("m.safetensors").path
        try model.exportSafetensors(to: path, metadata: ["arch": "{\"x\": 1}\n"])
        let file = try Safetensors(path: path)
        XCTAssertEqual(Set(file.tensors.keys), Set(model.layout.entries.map(\.name)))
        for e in model.layout.entries {
            XCTAssertEqual(file.tensors[e.name]?.shape, e.shape)
            XCTAssertEqual(file.tensors[e.name]?.values, model.tensor(e.name))
        }
        XCTAssertEqual(file.metadata["arch"], "{\"x\": 1}\n")
        XCTAssertEqual(file.metadata["format"], "pt")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual(headerLength % 8, 0)
        XCTAssertEqual(bytes.count, 8 + headerLength + 4 * model.layout.count)
    }

    /// Exports of one path from several threads at once never collide (each writer has its own
    /// temporary file) and leave no temporary file behind.
    func testConcurrentExportsOfOnePathAllSucceed() throws {
        let model = try SequenceModel(spec: .seed(inputSize: 19, sequenceLength: 4, hidden: 2, heads: 1, fcHidden: 2), seed: 4)
        let path = folder.appendingPathComponent("m.safetensors").path
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 400) { _ in
            do { try model.exportSafetensors(to: path) } catch { failures.withLock { $0.append("\(error)") } }
        }
        XCTAssertEqual(failures.withLock { $0 }, [])
        XCTAssertEqual(try Safetensors(path: path).tensors.count, model.layout.entries.count)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["m.safetensors"])
    }

    func testYamlRefusesWhatTheImporterCannotName() throws {
        let odd = try SequenceModel(spec: .seed(inputSize: 7, sequenceLength: 4, hidden: 2, heads: 1, fcHidden: 2))
        XCTAssertThrowsError(try odd.pytorchArchitectureYAML(name: "x")) { XCTAssertTrue("\($0)".contains("not 7"), "\($0)") }
        let softmax = try SequenceModel(spec: NetworkSpec(inputSize: 19, sequenceLength: 2, layers: [
            .pooling(.lastStep), .dense(module: "a", outputs: 3, bias: true), .activation(.softmax), .dense(module: "b", outputs: 2, bias: true),
        ]))
        XCTAssertThrowsError(try softmax.pytorchArchitectureYAML(name: "x")) { XCTAssertTrue("\($0)".contains("softmax"), "\($0)") }
    }
}
