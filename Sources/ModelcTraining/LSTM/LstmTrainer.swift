import Dispatch
import ModelcRuntime

/// Trains a `SequenceModel` with mini-batch BPTT: batches drawn from a seeded shuffle of the
/// training span each epoch, class-weighted softmax cross-entropy, AdamW, gradient clipping, a
/// learning-rate schedule, validation after every epoch, early stopping and a snapshot
/// ensemble of the best epochs. Reproducible bit for bit for a given seed, shard size and
/// machine, whatever the thread count, also across an interruption (see `LstmCheckpoint`).
public final class LstmTrainer: @unchecked Sendable {
    /// The working weights (the last step's, not the best epoch's).
    public let model: SequenceModel
    public let config: LstmTrainingConfig
    public private(set) var state: TrainingState

    public init(model: SequenceModel, config: LstmTrainingConfig, state: TrainingState? = nil) throws(ModelcError) {
        func fail(_ m: String) -> ModelcError { ModelcError(.invalidArgument, "LSTM training config: \(m)") }
        guard config.epochs > 0, config.batchSize > 0, config.threads > 0, config.shardSize > 0 else {
            throw fail("epochs \(config.epochs), batch size \(config.batchSize), threads \(config.threads) "
                       + "and shard size \(config.shardSize) must be positive")
        }
        guard config.positiveClass >= 0, config.positiveClass < model.classes else {
            throw fail("positive class \(config.positiveClass) is not one of the \(model.classes) outputs")
        }
        if let w = config.classWeights {
            guard w.count == model.classes, w.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw fail("class weights \(w) must be \(model.classes) positive numbers")
            }
        }
        let o = config.optimizer
        guard o.learningRate > 0, o.beta1 >= 0, o.beta1 < 1, o.beta2 >= 0, o.beta2 < 1, o.epsilon > 0, o.weightDecay >= 0 else {
            throw fail("AdamW needs lr > 0, betas in [0, 1), eps > 0, weight decay ≥ 0")
        }
        let a = config.augmentation
        guard a.noiseSigma >= 0, a.shiftProbability >= 0, a.shiftProbability <= 1, a.maxShift >= 0 else {
            throw fail("augmentation needs noise ≥ 0, shift probability in [0, 1], max shift ≥ 0")
        }
        let count = model.layout.count
        if let state, state.optimizer.firstMoment.count != count {
            throw fail("the saved optimizer state has \(state.optimizer.firstMoment.count) entries, the network \(count) parameters")
        }
        self.model = model
        self.config = config
        self.state = state ?? TrainingState(parameterCount: count)
    }

    /// The weights to deploy: the best snapshot, or the working weights when none was kept.
    public func bestModel() throws(ModelcError) -> SequenceModel {
        let best = try SequenceModel(spec: model.spec)
        try best.setParameterVector(state.snapshots.first?.parameters ?? model.parameterVector)
        return best
    }

    /// The kept snapshots as an ensemble, best first (the working weights when none was kept).
    public func ensemble() throws(ModelcError) -> SnapshotEnsemble {
        var models: [SequenceModel] = []
        for s in state.snapshots {
            let m = try SequenceModel(spec: model.spec)
            try m.setParameterVector(s.parameters)
            models.append(m)
        }
        return try SnapshotEnsemble(models.isEmpty ? [try bestModel()] : models)
    }

    /// Class weights of `config`, or `n / (C·n_k)` counted on `train`.
    public func classWeights(for train: SequenceDataset) throws(ModelcError) -> [Double] {
        if let w = config.classWeights { return w }
        let counts = try train.classCounts(model.classes)
        if let empty = counts.firstIndex(of: 0) {
            throw ModelcError(.invalidArgument, "the training span has no window of class \(empty); give class weights explicitly")
        }
        let n = Double(train.count), c = Double(model.classes)
        return counts.map { n / (c * Double($0)) }
    }

    /// Trains until `config.epochs` are done or early stopping triggers; with `epochLimit`, stops
    /// after that epoch (a later call, or a trainer resumed from the checkpoint, goes on). With
    /// `checkpoint`, the run is saved there after every epoch (`LstmCheckpoint`).
    public func train(train: SequenceDataset, validation: SequenceDataset, checkpoint: String? = nil, epochLimit: Int? = nil,
                      progress: ((TrainingEvent) -> Void)? = nil) throws(ModelcError) {
        let spec = model.spec
        for (name, data) in [("training", train), ("validation", validation)] {
            guard data.featureCount == spec.inputSize, data.sequenceLength == spec.sequenceLength else {
                throw ModelcError(.invalidArgument, "\(name) windows are \(data.sequenceLength) x \(data.featureCount), the network reads \(spec.sequenceLength) x \(spec.inputSize)")
            }
            _ = try data.classCounts(model.classes)
        }
        guard train.count > 0 else { throw ModelcError(.invalidArgument, "the training span has no windows") }
        guard validation.count > 0 else {
            throw ModelcError(.invalidArgument, "the validation span has no windows; early stopping and snapshots need some")
        }
        if config.metric == .auc, Set(validation.labels.map { $0 == Int32(config.positiveClass) }).count < 2 {
            throw ModelcError(.invalidArgument, "the validation span holds one class only: its AUC is undefined; choose another metric")
        }
        let weights = try classWeights(for: train)
        let runner = BatchRunner(network: model.network, threads: config.threads, shardSize: config.shardSize)
        let stepsPerEpoch = (train.count + config.batchSize - 1) / config.batchSize
        let totalSteps = stepsPerEpoch * config.epochs
        let lastEpoch = min(config.epochs, epochLimit ?? config.epochs)
        var runSteps = 0, runSeconds = 0.0
        let stepsThisRun = max(0, lastEpoch - state.epochsDone) * stepsPerEpoch
        while state.epochsDone < lastEpoch && !state.stoppedEarly {
            let epoch = state.epochsDone
            var shuffle = NNRandom(seed: config.seed, 0x5F1E, UInt64(epoch))
            let order = shuffle.permutation(train.count)
            var lossSum = 0.0, lr = 0.0
            let started = DispatchTime.now().uptimeNanoseconds
            for s in 0..<stepsPerEpoch {
                let batch = Array(order[(s * config.batchSize)..<min((s + 1) * config.batchSize, train.count)])
                lr = config.optimizer.learningRate * config.schedule.factor(step: state.step, totalSteps: totalSteps,
                                                                           plateauFactor: state.plateau.factor)
                let (loss, norm) = step(batch, of: train, classWeights: weights, learningRate: lr, runner: runner)
                guard loss.isFinite else {
                    throw ModelcError(.invalidArgument, "training diverged: loss \(loss), gradient norm \(norm) at epoch \(epoch + 1), "
                                      + "step \(s + 1) (not applied); lower the learning rate or clip gradients")
                }
                lossSum += loss
                runSteps += 1
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                let perStep = (runSeconds + elapsed) / Double(runSteps)
                progress?(.step(StepProgress(epoch: epoch + 1, epochs: config.epochs, step: s + 1, steps: stepsPerEpoch,
                                             loss: lossSum / Double(s + 1), learningRate: lr, gradientNorm: norm,
                                             sequencesPerSecond: Double(min((s + 1) * config.batchSize, train.count)) / elapsed,
                                             etaSeconds: perStep * Double(stepsThisRun - runSteps))))
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            runSeconds += seconds
            let metrics = evaluate(validation, classWeights: weights, runner: runner)
            let value = config.metric.value(metrics)
            let improved = state.bestMetric.map { config.metric.isBetter(value, than: $0) } ?? !value.isNaN
            if improved {
                state.bestMetric = value
                state.epochsWithoutImprovement = 0
            } else {
                state.epochsWithoutImprovement += 1
            }
            state.plateau.record(value, lowerIsBetter: config.metric.lowerIsBetter, schedule: config.schedule)
            state.offer(Snapshot(epoch: epoch + 1, metric: value, parameters: model.parameterVector), keep: config.snapshots, metric: config.metric)
            state.epochsDone += 1
            if let patience = config.earlyStoppingPatience, state.epochsWithoutImprovement >= patience { state.stoppedEarly = true }
            let record = EpochRecord(epoch: epoch + 1, learningRate: lr, trainLoss: lossSum / Double(stepsPerEpoch), validation: metrics,
                                     seconds: seconds, sequencesPerSecond: Double(train.count) / seconds)
            state.history.append(record)
            if let checkpoint { try LstmCheckpoint.save(self, to: checkpoint) }
            progress?(.epoch(record, improved: improved, stopping: state.stoppedEarly))
        }
    }

    /// One optimiser step on the windows `batch`; returns the batch loss (non-finite when the
    /// loss or the gradient is) and the gradient norm.
    private func step(_ batch: [Int], of data: SequenceDataset, classWeights: [Double], learningRate: Double,
                      runner: BatchRunner) -> (loss: Double, gradientNorm: Double) {
        let n = batch.count
        let seeds = (0..<n).map { i in
            var r = NNRandom(seed: config.seed, 0x5EED, UInt64(state.step), UInt64(i))
            return r.next()
        }
        let labels = batch.map { data.labels[$0] }
        let normaliser = labels.reduce(0.0) { $0 + classWeights[Int($1)] }
        var losses = [Double](repeating: 0, count: runner.shards(n).count)
        let network = model.network, augmentation = config.augmentation
        losses.withUnsafeMutableBufferPointer { lossOut in
            seeds.withUnsafeBufferPointer { seedPointer in
                labels.withUnsafeBufferPointer { labelPointer in
                    runner.run(batch: n, fill: { rows, input in
                        WindowAugmentation.gather(data, batch: batch, rows: rows, into: input, augmentation: augmentation, seeds: seeds)
                    }, work: { shard, rows, tape, input in
                        let context = ForwardContext(training: true, sampleSeeds: seedPointer.baseAddress! + rows.lowerBound)
                        lossOut[shard] = network.lossAndGradient(tape, input: input, labels: labelPointer.baseAddress! + rows.lowerBound,
                                                                 batch: rows.count, context: context, classWeights: classWeights,
                                                                 normaliser: normaliser)
                    })
                }
            }
        }
        let count = model.layout.count
        let loss = losses.reduce(0, +)
        let gradient = runner.sumGradients(batch: n)
        let norm = GradientClipping.clip(gradient, count: count, maxNorm: config.gradientClipNorm)
        // A non-finite step is not applied: the weights stay the last good ones.
        guard loss.isFinite, norm.isFinite else { return (loss.isFinite ? norm : loss, norm) }
        state.optimizer.update(config.optimizer, learningRate: learningRate, parameters: network.parameters.pointer,
                               gradient: gradient, count: count)
        state.step += 1
        return (loss, norm)
    }

    /// Evaluation-mode metrics of every window of `data`.
    public func evaluate(_ data: SequenceDataset, classWeights: [Double]) -> ClassificationMetrics {
        let runner = BatchRunner(network: model.network, threads: config.threads, shardSize: config.shardSize)
        return evaluate(data, classWeights: classWeights, runner: runner)
    }

    private func evaluate(_ data: SequenceDataset, classWeights: [Double], runner: BatchRunner) -> ClassificationMetrics {
        let f = data.featureCount, steps = data.sequenceLength
        let logits = data.rows.withUnsafeBufferPointer { rows in
            runner.logits(count: data.count, batchSize: config.batchSize) { i, t in
                rows.baseAddress! + (data.windowEnds[i] - steps + 1 + t) * f
            }
        }
        return ClassificationMetrics.measure(logits: logits, labels: data.labels, classes: model.classes,
                                             classWeights: classWeights, positiveClass: config.positiveClass)
    }
}
