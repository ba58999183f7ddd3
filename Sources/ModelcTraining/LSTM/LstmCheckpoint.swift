import Foundation
import ModelcFiles
import ModelcRuntime

/// A training run in one HDF5 file, written after every epoch so an interrupted run resumes at
/// the next epoch with the same bits as an uninterrupted one (every random draw derives from
/// the seed, the epoch and the step, so no generator state needs saving):
///
///     /format                          "modelc-lstm-checkpoint/1"
///     /spec, /config                   JSON (NetworkSpec, LstmTrainingConfig)
///     /weights/<name>                  float32, PyTorch state_dict name and shape (working weights)
///     /optimizer/step                  int64
///     /optimizer/exp_avg/<name>        float32 (AdamW first moment)
///     /optimizer/exp_avg_sq/<name>     float32 (second moment)
///     /state/epochs_done, step, epochs_without_improvement, stopped_early, plateau_bad_epochs   int64
///     /state/best_metric, plateau_factor, plateau_best                                         float64 (NaN: none yet)
///     /metrics/<field>                 float64[epochs]: epoch, learning_rate, train_loss, val_loss,
///                                      val_accuracy, val_balanced_accuracy, val_auc, seconds, sequences_per_second
///     /snapshots/<rank>/epoch, metric, weights/<name>   the kept best epochs, rank 0 best
public enum LstmCheckpoint {
    public static let format = "modelc-lstm-checkpoint/1"

    /// Saves the trainer's state to `path`, atomically (`AtomicFile`).
    public static func save(_ trainer: LstmTrainer, to path: String) throws(ModelcError) {
        try AtomicFile.replace(path, failure: { ModelcError(.io, $0.description) }) { (temporary) throws(ModelcError) in
            try CheckpointFile.create(temporary.path, named: path) { (f) throws(ModelcError) in try write(trainer, f) }
        }
    }

    /// A trainer that continues the run saved in `path`. `config` replaces the saved one (for
    /// example more epochs; the schedule then differs from the original run's).
    public static func resume(from path: String, config: LstmTrainingConfig? = nil) throws(ModelcError) -> LstmTrainer {
        try CheckpointFile.open(path) { (f) throws(ModelcError) in
            guard try f.string(at: "/format") == format else { throw f.error("/format", "is not \(format)") }
            let spec: NetworkSpec = try decode(f, "/spec")
            let saved: LstmTrainingConfig = try decode(f, "/config")
            let model = try SequenceModel(spec: spec)
            let layout = model.layout
            try model.setParameterVector(try vector(f, "/weights", layout))
            var state = TrainingState(parameterCount: layout.count)
            state.optimizer = AdamWState(step: Int(try f.int64(at: "/optimizer/step")),
                                         firstMoment: try vector(f, "/optimizer/exp_avg", layout),
                                         secondMoment: try vector(f, "/optimizer/exp_avg_sq", layout))
            state.epochsDone = Int(try f.int64(at: "/state/epochs_done"))
            state.step = Int(try f.int64(at: "/state/step"))
            state.epochsWithoutImprovement = Int(try f.int64(at: "/state/epochs_without_improvement"))
            state.stoppedEarly = try f.int64(at: "/state/stopped_early") != 0
            state.bestMetric = optional(try f.double(at: "/state/best_metric"))
            state.plateau.factor = try f.double(at: "/state/plateau_factor")
            state.plateau.best = optional(try f.double(at: "/state/plateau_best"))
            state.plateau.badEpochs = Int(try f.int64(at: "/state/plateau_bad_epochs"))
            state.history = try history(f)
            guard state.history.count == state.epochsDone else {
                throw f.error("/metrics", "has \(state.history.count) epochs, /state/epochs_done says \(state.epochsDone)")
            }
            var rank = 0
            while f.exists("/snapshots/\(rank)") {
                let base = "/snapshots/\(rank)"
                state.snapshots.append(Snapshot(epoch: Int(try f.int64(at: "\(base)/epoch")), metric: try f.double(at: "\(base)/metric"),
                                                parameters: try vector(f, "\(base)/weights", layout)))
                rank += 1
            }
            return try LstmTrainer(model: model, config: config ?? saved, state: state)
        }
    }

    private static func write(_ trainer: LstmTrainer, _ f: CheckpointFile) throws(ModelcError) {
        let layout = trainer.model.layout, state = trainer.state
        try f.write(format, at: "/format")
        try f.write(try encode(trainer.model.spec), at: "/spec")
        try f.write(try encode(trainer.config), at: "/config")
        try writeVector(trainer.model.parameterVector, f, "/weights", layout)
        try f.makeGroup("/optimizer")
        try f.write(Int64(state.optimizer.step), at: "/optimizer/step")
        try writeVector(state.optimizer.firstMoment, f, "/optimizer/exp_avg", layout)
        try writeVector(state.optimizer.secondMoment, f, "/optimizer/exp_avg_sq", layout)
        try f.makeGroup("/state")
        try f.write(Int64(state.epochsDone), at: "/state/epochs_done")
        try f.write(Int64(state.step), at: "/state/step")
        try f.write(Int64(state.epochsWithoutImprovement), at: "/state/epochs_without_improvement")
        try f.write(Int64(state.stoppedEarly ? 1 : 0), at: "/state/stopped_early")
        try f.write(state.bestMetric ?? .nan, at: "/state/best_metric")
        try f.write(state.plateau.factor, at: "/state/plateau_factor")
        try f.write(state.plateau.best ?? .nan, at: "/state/plateau_best")
        try f.write(Int64(state.plateau.badEpochs), at: "/state/plateau_bad_epochs")
        try f.makeGroup("/metrics")
        for (field, value) in metricFields { try f.write(state.history.map(value), at: "/metrics/\(field)") }
        try f.makeGroup("/snapshots")
        for (rank, s) in state.snapshots.enumerated() {
            let base = "/snapshots/\(rank)"
            try f.makeGroup(base)
            try f.write(Int64(s.epoch), at: "\(base)/epoch")
            try f.write(s.metric, at: "\(base)/metric")
            try writeVector(s.parameters, f, "\(base)/weights", layout)
        }
    }

    private static let metricFields: [(String, @Sendable (EpochRecord) -> Double)] = [
        ("epoch", { Double($0.epoch) }), ("learning_rate", { $0.learningRate }), ("train_loss", { $0.trainLoss }),
        ("val_loss", { $0.validation.loss }), ("val_accuracy", { $0.validation.accuracy }),
        ("val_balanced_accuracy", { $0.validation.balancedAccuracy }), ("val_auc", { $0.validation.auc }),
        ("seconds", { $0.seconds }), ("sequences_per_second", { $0.sequencesPerSecond }),
    ]

    private static func history(_ f: CheckpointFile) throws(ModelcError) -> [EpochRecord] {
        var columns: [String: [Double]] = [:]
        for (field, _) in metricFields { columns[field] = try f.doubles(at: "/metrics/\(field)") }
        let n = columns["epoch"]!.count
        guard columns.values.allSatisfy({ $0.count == n }) else { throw f.error("/metrics", "columns differ in length") }
        return (0..<n).map { i in
            let c = { (field: String) in columns[field]![i] }
            return EpochRecord(epoch: Int(c("epoch")), learningRate: c("learning_rate"), trainLoss: c("train_loss"),
                               validation: ClassificationMetrics(loss: c("val_loss"), accuracy: c("val_accuracy"),
                                                                 balancedAccuracy: c("val_balanced_accuracy"), auc: c("val_auc")),
                               seconds: c("seconds"), sequencesPerSecond: c("sequences_per_second"))
        }
    }

    /// One dataset per parameter, under `group`, in PyTorch names and shapes.
    private static func writeVector(_ values: [Float], _ f: CheckpointFile, _ group: String, _ layout: ParameterLayout) throws(ModelcError) {
        try f.makeGroup(group)
        for e in layout.entries {
            try f.write(Array(values[e.offset..<(e.offset + e.count)]), shape: e.shape, at: "\(group)/\(e.name)")
        }
    }

    private static func vector(_ f: CheckpointFile, _ group: String, _ layout: ParameterLayout) throws(ModelcError) -> [Float] {
        var values = [Float](repeating: 0, count: layout.count)
        for e in layout.entries {
            let v = try f.floats(at: "\(group)/\(e.name)", shape: e.shape)
            values.replaceSubrange(e.offset..<(e.offset + e.count), with: v)
        }
        return values
    }

    private static func optional(_ v: Double) -> Double? { v.isNaN ? nil : v }

    private static func encode<T: Encodable>(_ value: T) throws(ModelcError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw ModelcError(.invalidArgument, "cannot encode \(T.self) as JSON: \(error)")
        }
    }

    private static func decode<T: Decodable>(_ f: CheckpointFile, _ path: String) throws(ModelcError) -> T {
        let text = try f.string(at: path)
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw f.error(path, "is not a valid \(T.self): \(error)")
        }
    }
}
