import Foundation
import XCTest
@testable import ModelcTraining

/// The training loop end to end on synthetic sequence tasks.
final class LstmTrainerTests: XCTestCase {
    /// Windows of `steps × 3` standard-normal features; label 1 when feature 0 sums to more than 0
    /// over the window (the network must integrate over time).
    static func sumTask(count: Int, steps: Int = 12, seed: UInt64) throws -> SequenceDataset {
        var rng = NNRandom(seed: seed)
        var windows: [Float] = [], labels: [Int32] = []
        for _ in 0..<count {
            var sum = 0.0
            for _ in 0..<steps {
                for f in 0..<3 {
                    let v = rng.normal()
                    if f == 0 { sum += v }
                    windows.append(Float(v))
                }
            }
            labels.append(sum > 0 ? 1 : 0)
        }
        return try SequenceDataset(windows: windows, labels: labels, sequenceLength: steps, featureCount: 3)
    }

    static func smallConfig() -> LstmTrainingConfig {
        var config = LstmTrainingConfig()
        config.epochs = 8
        config.batchSize = 32
        config.optimizer.learningRate = 1e-2
        config.seed = 42
        config.earlyStoppingPatience = nil
        config.augmentation = .none
        return config
    }

    func testLstmLearnsToIntegrate() throws {
        let train = try Self.sumTask(count: 2000, seed: 1), validation = try Self.sumTask(count: 500, seed: 2)
        let spec = NetworkSpec(inputSize: 3, sequenceLength: 12, layers: [
            .lstm(module: "lstm", hiddenSize: 12, numLayers: 1, bidirectional: false, dropout: 0),
            .pooling(.lastStep), .dense(module: "fc", outputs: 2, bias: true),
        ])
        let trainer = try LstmTrainer(model: try SequenceModel(spec: spec, seed: 42), config: Self.smallConfig())
        try trainer.train(train: train, validation: validation)
        let accuracy = trainer.state.history.last!.validation.accuracy
        XCTAssertGreaterThan(accuracy, 0.95)
        XCTAssertGreaterThan(trainer.state.history.last!.validation.auc, 0.98)
        XCTAssertLessThan(trainer.state.history.last!.trainLoss, trainer.state.history.first!.trainLoss)
        // Held-out windows the run never saw, through the best snapshot.
        let test = try Self.sumTask(count: 500, seed: 9)
        let best = try LstmTrainer(model: try trainer.bestModel(), config: Self.smallConfig())
        XCTAssertGreaterThan(best.evaluate(test, classWeights: [1, 1]).accuracy, 0.95)
    }

    func testSeedArchitectureLearnsToIntegrate() throws {
        let train = try Self.sumTask(count: 2000, seed: 3), validation = try Self.sumTask(count: 500, seed: 4)
        var config = Self.smallConfig()
        config.augmentation = WindowAugmentation()  // noise on; these windows cannot shift
        let spec = NetworkSpec.seed(inputSize: 3, sequenceLength: 12, hidden: 8, heads: 2, fcHidden: 8, dropout: 0.1)
        let trainer = try LstmTrainer(model: try SequenceModel(spec: spec, seed: 42), config: config)
        try trainer.train(train: train, validation: validation)
        XCTAssertGreaterThan(trainer.state.history.last!.validation.accuracy, 0.95)
    }
}
