import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import XCTest

/// The runtime's network kernels give exactly the bits of the plain reference (ReferenceNetwork).
final class NetworkKernelTests: XCTestCase {
    private func network(_ loaded: LoadedModel, _ component: String) throws -> NetworkDefinition {
        let c = try XCTUnwrap(loaded.components.first { $0.name == component })
        guard case .network(let net) = try XCTUnwrap(c.members.first).kind else { throw CompilerError("not a network") }
        return net
    }

    private func windows(_ count: Int, size: Int, seed: UInt64) -> [[Float]] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in (0..<size).map { _ in rng.uniform(3) } }
    }

    func testDemoNetworkMatchesReference() throws {
        var model = DemoModel.make(seed: 7)
        // The demo is already pruned to the last query; also check the all-queries form.
        var allQueries = model
        allQueries.components[1].members[0].network.layers[1].attention.query = .queryAllSteps
        allQueries.components[1].members[0].network.layers.insert(.with { $0.name = "last"; $0.pooling = .poolingLastStep }, at: 2)
        for m in [model, allQueries] {
            let loaded = try ModelLoader.load(try ArtifactWriter.encode(m))
            let net = try network(loaded, "long")
            let schema = m.components[1].members[0].network
            for w in windows(20, size: 16 * 19, seed: 3) {
                let fast = try NetworkRunner.logits(net, window: w)
                let slow = ReferenceNetwork.logits(schema, tensors: loaded, window: w)
                XCTAssertEqual(fast.map(\.bitPattern), slow.map(\.bitPattern))
            }
        }
        model.components[1].members[0].network.layers[0].lstm.direction = .lstmUnidirectional
        XCTAssertThrowsError(try ModelLoader.load(try ArtifactWriter.encode(model)), "width mismatch must be refused")
    }

    /// Pruning attention to the last query changes no bit of the output.
    func testPruneKeepsBits() throws {
        var model = DemoModel.make(seed: 9)
        model.components[1].members[0].network.layers[1].attention.query = .queryAllSteps
        model.components[1].members[0].network.layers.insert(.with { $0.name = "last"; $0.pooling = .poolingLastStep }, at: 2)
        var pruned = model
        XCTAssertEqual(try PruneAttentionPass().apply(to: &pruned).count, 1)
        XCTAssertEqual(pruned.components[1].members[0].network.layers.count, model.components[1].members[0].network.layers.count - 1)
        let a = try network(try ModelLoader.load(try ArtifactWriter.encode(model)), "long")
        let b = try network(try ModelLoader.load(try ArtifactWriter.encode(pruned)), "long")
        for w in windows(10, size: 16 * 19, seed: 5) {
            XCTAssertEqual(try NetworkRunner.logits(a, window: w).map(\.bitPattern), try NetworkRunner.logits(b, window: w).map(\.bitPattern))
        }
    }

    /// Folding a standard scaler into the first layer: raw inputs through the folded network give
    /// what the scaled inputs give through the original, up to f32 rounding.
    func testFoldScaler() throws {
        var model = DemoModel.make(seed: 11)
        var rng = SplitMix64(seed: 1)
        model.components[1].input.scaler.shift = (0..<19).map { _ in rng.uniform(50) }
        model.components[1].input.scaler.scale = (0..<19).map { _ in 0.5 + abs(rng.uniform(2)) }
        var folded = model
        XCTAssertEqual(try FoldScalerPass().apply(to: &folded).count, 1)
        XCTAssertTrue(folded.components[1].input.scaler.folded)
        XCTAssertEqual(try FoldScalerPass().apply(to: &folded).count, 0, "folding twice must do nothing")
        let original = try XCTUnwrap(try ModelLoader.load(try ArtifactWriter.encode(model)).components.first { $0.name == "long" })
        let compiled = try XCTUnwrap(try ModelLoader.load(try ArtifactWriter.encode(folded)).components.first { $0.name == "long" })
        var worst: Float = 0
        for w in windows(20, size: 16 * 19, seed: 8) {
            let raw = w.enumerated().map { i, v in Double(v * 10 + model.components[1].input.scaler.shift[i % 19]) }
            worst = max(worst, Float(abs(try original.probability(window: raw) - compiled.probability(window: raw))))
        }
        XCTAssertLessThan(worst, 1e-5)
    }

    /// Compiling the same inputs twice gives the same bytes, for every precision.
    func testCompilationIsDeterministic() throws {
        for precision in WeightPrecision.allCases {
            let a = try ArtifactWriter.encode(try PassPipeline.run(DemoModel.make(seed: 4), precision: precision).0)
            let b = try ArtifactWriter.encode(try PassPipeline.run(DemoModel.make(seed: 4), precision: precision).0)
            XCTAssertEqual(a, b, precision.rawValue)
        }
    }
}
