import Foundation
import ModelcFormat
import ModelcPipeline
import ModelcRuntime
import ModelcTraining
import XCTest

/// Trees trained natively, written into an artifact and scored by the runtime, reach the same
/// leaves as the trainer's own predictor.
final class TrainedTreesExportTests: XCTestCase {
    func testRuntimeScoresWhatTheTrainerLearnt() throws {
        var rng = SystemRandomNumberGenerator()
        let rows = 4000, columns = 5
        var x = [Float](), y = [Bool]()
        for _ in 0..<rows {
            let r = (0..<columns).map { _ in Float.random(in: -2...2, using: &rng) }
            let missing = Bool.random(using: &rng) && Bool.random(using: &rng)
            x += missing ? [.nan] + r.dropFirst() : r
            y.append((missing ? 1 : r[0]) * r[1] + 0.3 * r[2] > 0)
        }
        var p = GBDTParameters()
        p.numTrees = 40
        p.growth = .depthWise(maxDepth: 4)
        let forest = try GBDTTrainer.train(GBDTDataset(features: x, columns: columns, labels: y), parameters: p).forest

        var component = Modelc_Component()
        component.name = "direction"
        component.role = .roleDirection
        component.input.window = 1  // a tree component reads one row (Spec.md §4.3)
        var member = Modelc_Member()
        member.weight = 1
        member.trees = TrainedTreesExport.ensemble(forest)
        component.members = [member]
        var model = Modelc_Model()
        model.info.name = "native-trees"
        model.components = [component]
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model))
        let c = loaded.components[0]

        let trainer = try forest.probabilities(x)
        let runtime = try x.map(Double.init).withUnsafeBufferPointer { try c.scoreTrees(rows: $0, rowCount: rows) }
        var worst = 0.0
        for r in 0..<rows { worst = max(worst, abs(trainer[r] - runtime[r].probability)) }
        // Same leaves; only the summation precision differs (Double in the trainer, float32 in
        // the artifact, Spec.md §9.4).
        XCTAssertLessThan(worst, 1e-5)
        XCTAssertEqual(TrainedTreesExport.importance(forest, featureNames: ["a", "b", "c", "d", "e"]).map(\.splits).reduce(0, +),
                       UInt32(forest.importance.splits.reduce(0, +)))
    }
}
