import Foundation
import XCTest
@testable import ModelcTraining

/// Time shifts, noise, snapshots, early stopping and the progress lines.
final class LstmAugmentationTests: XCTestCase {
    /// One feature whose value is its row index; windows of 4 ending at rows 5…20 in one run
    /// starting at row 2, so window ending at 5 has no room to shift and the others 1, 2, 3+.
    private func indexData() throws -> SequenceDataset {
        let ends = Array(5...20)
        return try SequenceDataset(featureCount: 1, sequenceLength: 4, rows: (0..<21).map(Float.init), windowEnds: ends,
                                   labels: ends.map { _ in 0 }, runStarts: ends.map { _ in 2 })
    }

    private func gather(_ data: SequenceDataset, _ augmentation: WindowAugmentation?, seed: UInt64, parts: [Range<Int>]) -> [[Float]] {
        let n = data.count, steps = data.sequenceLength
        let batch = Array(0..<n)
        let seeds = (0..<n).map { UInt64($0) &+ seed &* 1000 }
        var windows = [[Float]](repeating: [], count: n)
        for rows in parts {
            var input = [Float](repeating: .nan, count: rows.count * steps)
            input.withUnsafeMutableBufferPointer {
                WindowAugmentation.gather(data, batch: batch, rows: rows, into: $0.baseAddress!, augmentation: augmentation, seeds: seeds)
            }
            for (r, i) in rows.enumerated() { windows[i] = (0..<steps).map { input[$0 * rows.count + r] } }
        }
        return windows
    }

    func testShiftsGoBackOneToThreeCandlesWithinTheRun() throws {
        let data = try indexData()
        var seen = Set<Int>()
        for seed in 0..<40 {
            let windows = gather(data, WindowAugmentation(noiseSigma: 0, shiftProbability: 1, maxShift: 3), seed: UInt64(seed), parts: [0..<16])
            for (i, w) in windows.enumerated() {
                let end = data.windowEnds[i], shift = end - Int(w[3])
                XCTAssertEqual(w, (0..<4).map { Float(end - shift - 3 + $0) })
                let room = end - 3 - 2
                XCTAssertEqual(shift, min(room, max(1, shift)), "window \(i) shifted \(shift) with room \(room)")
                XCTAssertTrue((0...3).contains(shift))
                if room > 0 { XCTAssertGreaterThan(shift, 0) }
                seen.insert(shift)
            }
        }
        XCTAssertEqual(seen, [0, 1, 2, 3])
        let plain = gather(data, nil, seed: 1, parts: [0..<16])
        for (i, w) in plain.enumerated() { XCTAssertEqual(w.last, Float(data.windowEnds[i])) }
    }

    func testNoiseHasTheGivenSigmaAndIgnoresTheBatchSplit() throws {
        let data = try indexData()
        let augmentation = WindowAugmentation(noiseSigma: 0.5, shiftProbability: 0, maxShift: 3)
        var differences: [Double] = []
        for seed in 0..<200 {
            let whole = gather(data, augmentation, seed: UInt64(seed), parts: [0..<16])
            if seed < 5 { XCTAssertEqual(whole, gather(data, augmentation, seed: UInt64(seed), parts: [0..<7, 7..<16])) }
            for (i, w) in whole.enumerated() {
                for t in 0..<4 { differences.append(Double(w[t]) - Double(data.windowEnds[i] - 3 + t)) }
            }
        }
        let mean = differences.reduce(0, +) / Double(differences.count)
        let sd = (differences.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(differences.count)).squareRoot()
        XCTAssertEqual(mean, 0, accuracy: 0.02)
        XCTAssertEqual(sd, 0.5, accuracy: 0.02)
    }

    func testSnapshotsKeepTheBestK() {
        var state = TrainingState(parameterCount: 1)
        for (epoch, loss) in [0.9, 0.7, .nan, 0.8, 0.6, 0.95].enumerated() {
            state.offer(Snapshot(epoch: epoch + 1, metric: loss, parameters: [Float(epoch)]), keep: 3, metric: .loss)
        }
        XCTAssertEqual(state.snapshots.map(\.epoch), [5, 2, 4])
        var auc = TrainingState(parameterCount: 1)
        for (epoch, value) in [0.6, 0.7, 0.65].enumerated() {
            auc.offer(Snapshot(epoch: epoch + 1, metric: value, parameters: []), keep: 2, metric: .auc)
        }
        XCTAssertEqual(auc.snapshots.map(\.epoch), [2, 3])
    }

    /// Random labels: the validation loss stops improving, and the run stops exactly when the
    /// history says `patience` epochs went by without a better one; snapshots are the best epochs.
    func testEarlyStoppingAndSnapshotsFollowTheHistory() throws {
        var rng = NNRandom(seed: 3)
        let n = 200, steps = 5
        let windows = (0..<(n * steps * 2)).map { _ in Float(rng.normal()) }
        let labels = (0..<n).map { _ in Int32(rng.below(2)) }
        let all = try SequenceDataset(windows: windows, labels: labels, sequenceLength: steps, featureCount: 2)
        let train = try SequenceDataset(windows: Array(windows[0..<(150 * steps * 2)]), labels: Array(labels[0..<150]), sequenceLength: steps, featureCount: 2)
        let validation = try SequenceDataset(windows: Array(windows[(150 * steps * 2)...]), labels: Array(labels[150...]), sequenceLength: steps, featureCount: 2)
        XCTAssertEqual(all.count, train.count + validation.count)
        var config = LstmTrainerTests.smallConfig()
        config.epochs = 40
        config.earlyStoppingPatience = 2
        config.snapshots = 3
        config.optimizer.learningRate = 3e-2
        let spec = NetworkSpec(inputSize: 2, sequenceLength: steps, layers: [
            .lstm(module: "lstm", hiddenSize: 16, numLayers: 1, bidirectional: false, dropout: 0),
            .pooling(.lastStep), .dense(module: "fc", outputs: 2, bias: true),
        ])
        let trainer = try LstmTrainer(model: try SequenceModel(spec: spec, seed: 1), config: config)
        var lines: [String] = []
        let printer = TrainingProgressPrinter(.epochs, write: { lines.append($0) })
        try trainer.train(train: train, validation: validation, progress: printer.callAsFunction)
        let losses = trainer.state.history.map(\.validation.loss)
        XCTAssertLessThan(losses.count, 40, "random labels should stop early")
        var best = Double.infinity, bad = 0, stopAt = 0
        for (i, l) in losses.enumerated() {
            if l < best { (best, bad) = (l, 0) } else { bad += 1 }
            if bad >= 2 { stopAt = i + 1; break }
        }
        XCTAssertEqual(losses.count, stopAt)
        XCTAssertTrue(trainer.state.stoppedEarly)
        let ranked = trainer.state.history.sorted { $0.validation.loss < $1.validation.loss }.prefix(3).map(\.epoch)
        XCTAssertEqual(trainer.state.snapshots.map(\.epoch), Array(ranked))
        XCTAssertEqual(try trainer.bestModel().parameterVector, trainer.state.snapshots[0].parameters)
        XCTAssertEqual(lines.count, losses.count)
        XCTAssertTrue(lines.last!.hasSuffix("early stop\n"), lines.last!)

        // The ensemble's probability is the mean of its members' softmax probabilities.
        let ensemble = try trainer.ensemble()
        XCTAssertEqual(ensemble.members.count, 3)
        let x = validation.windows
        let p = try ensemble.probabilities(windows: x, count: validation.count)
        var manual = [Double](repeating: 0, count: validation.count)
        for m in ensemble.members {
            let z = try m.logits(windows: x, count: validation.count)
            for i in 0..<validation.count { manual[i] += 1 / (1 + exp(Double(z[2 * i]) - Double(z[2 * i + 1]))) / 3 }
        }
        for i in 0..<validation.count { XCTAssertEqual(p[i], manual[i], accuracy: 1e-12) }
    }

    func testProgressLines() {
        var out: [String] = []
        let printer = TrainingProgressPrinter(.steps, interval: 0, inPlace: false, write: { out.append($0) })
        printer(.step(StepProgress(epoch: 2, epochs: 10, step: 30, steps: 317, loss: 0.65321, learningRate: 8.1e-4, gradientNorm: 0.4,
                                   sequencesPerSecond: 412.4, etaSeconds: 151)))
        let metrics = ClassificationMetrics(loss: 0.6634, accuracy: 0.6123, balancedAccuracy: 0.601, auc: 0.6551)
        printer(.epoch(EpochRecord(epoch: 2, learningRate: 8e-4, trainLoss: 0.64211, validation: metrics, seconds: 41.2,
                                   sequencesPerSecond: 411.6), improved: true, stopping: false))
        XCTAssertEqual(out, [
            "epoch 2/10  step 30/317  loss 0.6532  lr 8.1e-04  412 seq/s  ETA 2m31s\n",
            "epoch 2  train loss 0.6421  val loss 0.6634  acc 0.612  bal acc 0.601  AUC 0.655  412 seq/s  41s  best\n",
        ])
        var quiet: [String] = []
        let silent = TrainingProgressPrinter(.quiet, write: { quiet.append($0) })
        silent(.epoch(EpochRecord(epoch: 1, learningRate: 0, trainLoss: 0, validation: metrics, seconds: 1, sequencesPerSecond: 1),
                      improved: false, stopping: true))
        XCTAssertEqual(quiet, [])
        XCTAssertEqual(TrainingProgressPrinter.duration(3725), "1h02m")
    }
}
