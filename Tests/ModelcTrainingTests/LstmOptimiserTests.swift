import Foundation
import XCTest
@testable import ModelcTraining

/// Clipping, schedules, metrics, class weights and the reproducibility of a run.
final class LstmOptimiserTests: XCTestCase {
    func testClippingScalesOnlyAboveTheLimit() {
        var g: [Float] = [3, 4, 0]
        XCTAssertEqual(GradientClipping.clip(&g, count: 3, maxNorm: 10), 5, accuracy: 1e-12)
        XCTAssertEqual(g, [3, 4, 0])
        XCTAssertEqual(GradientClipping.clip(&g, count: 3, maxNorm: 1), 5, accuracy: 1e-12)
        XCTAssertEqual(g[0], Float(3 / (5 + 1e-6)), accuracy: 1e-7)
        XCTAssertEqual(g[1], Float(4 / (5 + 1e-6)), accuracy: 1e-7)
    }

    func testWarmupCosine() {
        let s = LearningRateSchedule.warmupCosine(warmupFraction: 0.1, minFactor: 0)
        let f = { (step: Int) in s.factor(step: step, totalSteps: 100, plateauFactor: 1) }
        XCTAssertEqual(f(0), 0.1, accuracy: 1e-12)
        XCTAssertEqual(f(9), 1, accuracy: 1e-12)
        XCTAssertEqual(f(10), 1, accuracy: 1e-12)
        XCTAssertEqual(f(55), 0.5, accuracy: 1e-12)
        XCTAssertEqual(f(100), 0, accuracy: 1e-12)
        let floor = LearningRateSchedule.warmupCosine(warmupFraction: 0, minFactor: 0.2)
        XCTAssertEqual(floor.factor(step: 50, totalSteps: 100, plateauFactor: 1), 0.6, accuracy: 1e-12)
    }

    /// ReduceLROnPlateau(mode=min, factor=0.5, patience=1, min_lr=0.3·base) on a loss sequence.
    func testPlateau() {
        let s = LearningRateSchedule.plateau(factor: 0.5, patience: 1, minFactor: 0.3)
        var p = PlateauState()
        var factors: [Double] = []
        for loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.5, 0.6, 0.7] {
            p.record(loss, lowerIsBetter: true, schedule: s)
            factors.append(p.factor)
        }
        XCTAssertEqual(factors, [1, 1, 1, 0.5, 0.5, 0.3, 0.3, 0.3, 0.3])
    }

    func testMetricsAgainstNaiveDefinitions() {
        var rng = NNRandom(seed: 9)
        let n = 300
        let labels = (0..<n).map { _ in Int32(rng.uniform() < 0.3 ? 1 : 0) }
        // logits with ties: rounded scores
        let logits = labels.flatMap { y -> [Float] in [0, Float((rng.normal() + (y == 1 ? 0.8 : 0)) * 4).rounded() / 4] }
        let m = ClassificationMetrics.measure(logits: logits, labels: labels, classes: 2, classWeights: [1, 1], positiveClass: 1)
        var pairs = 0.0, wins = 0.0
        for i in 0..<n where labels[i] == 1 {
            for j in 0..<n where labels[j] == 0 {
                pairs += 1
                wins += logits[2 * i + 1] > logits[2 * j + 1] ? 1 : logits[2 * i + 1] == logits[2 * j + 1] ? 0.5 : 0
            }
        }
        XCTAssertEqual(m.auc, wins / pairs, accuracy: 1e-12)
        let predicted = (0..<n).map { logits[2 * $0 + 1] > 0 ? Int32(1) : 0 }
        let correct = (0..<n).filter { predicted[$0] == labels[$0] }.count
        XCTAssertEqual(m.accuracy, Double(correct) / Double(n), accuracy: 1e-12)
        let recall = { (c: Int32) in
            Double((0..<n).filter { labels[$0] == c && predicted[$0] == c }.count) / Double(labels.filter { $0 == c }.count)
        }
        XCTAssertEqual(m.balancedAccuracy, (recall(0) + recall(1)) / 2, accuracy: 1e-12)
        let loss = (0..<n).reduce(0.0) { s, i in
            let z1 = Double(logits[2 * i + 1])
            return s + (labels[i] == 1 ? log(1 + exp(-z1)) : log(1 + exp(z1)))
        } / Double(n)
        XCTAssertEqual(m.loss, loss, accuracy: 1e-6)
    }

    func testClassWeightsFromTheTrainingSpan() throws {
        let data = try SequenceDataset(windows: [Float](repeating: 0, count: 10 * 2), labels: [0, 0, 0, 0, 1, 0, 0, 1, 0, 0],
                                       sequenceLength: 2, featureCount: 1)
        let spec = NetworkSpec(inputSize: 1, sequenceLength: 2, layers: [.pooling(.mean), .dense(module: "fc", outputs: 2, bias: true)])
        let trainer = try LstmTrainer(model: try SequenceModel(spec: spec), config: LstmTrainingConfig())
        XCTAssertEqual(try trainer.classWeights(for: data), [10.0 / 16, 10.0 / 4])
        let one = try SequenceDataset(windows: [0, 0], labels: [0], sequenceLength: 2, featureCount: 1)
        XCTAssertThrowsError(try trainer.classWeights(for: one)) { XCTAssertTrue("\($0)".contains("no window of class 1"), "\($0)") }
    }

    func testConfigIsChecked() throws {
        let model = try SequenceModel(spec: .seed(inputSize: 2, sequenceLength: 3, hidden: 2, heads: 1, fcHidden: 2))
        var config = LstmTrainingConfig()
        config.classWeights = [1]
        XCTAssertThrowsError(try LstmTrainer(model: model, config: config)) { XCTAssertTrue("\($0)".contains("class weights"), "\($0)") }
        config = LstmTrainingConfig()
        config.optimizer.beta2 = 1
        XCTAssertThrowsError(try LstmTrainer(model: model, config: config))
    }

    /// A learning rate that blows the weights up stops the run with an error, before the
    /// non-finite step is applied.
    func testDivergenceStopsBeforeTheBadStep() throws {
        let train = try LstmTrainerTests.sumTask(count: 64, steps: 4, seed: 1)
        var config = LstmTrainerTests.smallConfig()
        config.optimizer.learningRate = 1e30
        config.gradientClipNorm = nil
        config.schedule = .constant
        let trainer = try LstmTrainer(model: try SequenceModel(spec: NetworkSpec(inputSize: 3, sequenceLength: 4, layers: [
            .pooling(.mean), .dense(module: "a", outputs: 8, bias: true), .activation(.relu), .dense(module: "b", outputs: 2, bias: true),
        ])), config: config)
        XCTAssertThrowsError(try trainer.train(train: train, validation: train)) {
            XCTAssertTrue("\($0)".contains("training diverged"), "\($0)")
        }
        XCTAssertTrue(trainer.model.parameterVector.allSatisfy(\.isFinite))
    }

    func testSpansAreChecked() throws {
        let model = try SequenceModel(spec: NetworkSpec(inputSize: 1, sequenceLength: 2, layers: [
            .pooling(.mean), .dense(module: "fc", outputs: 2, bias: true),
        ]))
        let train = try SequenceDataset(windows: [0, 1, 2, 3], labels: [0, 1], sequenceLength: 2, featureCount: 1)
        let empty = try SequenceDataset(windows: [], labels: [], sequenceLength: 2, featureCount: 1)
        var config = LstmTrainingConfig()
        XCTAssertThrowsError(try LstmTrainer(model: model, config: config).train(train: train, validation: empty)) {
            XCTAssertTrue("\($0)".contains("validation span has no windows"), "\($0)")
        }
        config.metric = .auc
        let oneClass = try SequenceDataset(windows: [0, 1], labels: [1], sequenceLength: 2, featureCount: 1)
        XCTAssertThrowsError(try LstmTrainer(model: model, config: config).train(train: train, validation: oneClass)) {
            XCTAssertTrue("\($0)".contains("AUC is undefined"), "\($0)")
        }
        let wide = try SequenceDataset(windows: [0, 1, 2, 3], labels: [0, 1], sequenceLength: 1, featureCount: 2)
        XCTAssertThrowsError(try LstmTrainer(model: model, config: config).train(train: wide, validation: wide)) {
            XCTAssertTrue("\($0)".contains("1 x 2, the network reads 2 x 1"), "\($0)")
        }
        XCTAssertThrowsError(try SequenceDataset(featureCount: 1, sequenceLength: 3, rows: [0, 1, 2, 3], windowEnds: [2], labels: [0], runStarts: [1])) {
            XCTAssertTrue("\($0)".contains("window 0 (rows 0...2, run from 1)"), "\($0)")
        }
        XCTAssertThrowsError(try SequenceDataset(windows: [0, .nan], labels: [0], sequenceLength: 2, featureCount: 1)) {
            XCTAssertTrue("\($0)".contains("row 1, feature 0 is nan"), "\($0)")
        }
    }

    /// Same seed: the same bits, with any thread count. The validation span steers no weight
    /// (early stopping off).
    func testRunsAreReproducibleAndValidationDoesNotTrain() throws {
        let train = try LstmTrainerTests.sumTask(count: 300, steps: 6, seed: 5)
        let validationA = try LstmTrainerTests.sumTask(count: 50, steps: 6, seed: 6)
        let validationB = try LstmTrainerTests.sumTask(count: 80, steps: 6, seed: 7)
        func run(_ validation: SequenceDataset, seed: UInt64 = 42, threads: Int = 2) throws -> [Float] {
            var config = LstmTrainerTests.smallConfig()
            config.epochs = 2
            config.seed = seed
            config.threads = threads
            config.shardSize = 7  // 5 shards per batch of 32
            config.augmentation = WindowAugmentation()
            let spec = NetworkSpec.seed(inputSize: 3, sequenceLength: 6, hidden: 4, heads: 2, fcHidden: 4, dropout: 0.2)
            let trainer = try LstmTrainer(model: try SequenceModel(spec: spec, seed: seed), config: config)
            try trainer.train(train: train, validation: validation)
            return trainer.model.parameterVector
        }
        let a = try run(validationA)
        XCTAssertEqual(a, try run(validationA))
        XCTAssertEqual(a, try run(validationA, threads: 1))
        XCTAssertEqual(a, try run(validationA, threads: 3))
        XCTAssertEqual(a, try run(validationB))
        XCTAssertNotEqual(a, try run(validationA, seed: 43))
    }
}
