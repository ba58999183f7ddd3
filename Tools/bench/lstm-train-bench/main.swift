// Training throughput of the seed network (64 x 19 -> BiLSTM 2 x 128 -> 4-head attention ->
// 256 -> 64 -> 2, dropout 0.3) as Tools/bench/lstm-train.sh runs it: one step = forward +
// class-weighted loss + backward + AdamW, batch 256, the same work as
// shared/bench/bench_torch_train.py (standard-normal windows, ~16 % positives, no clipping,
// no augmentation). Prints one JSON line.
//   lstm-train-bench [--threads 2] [--batch 256] [--steps 20] [--warmup 5]
import Foundation
import ModelcTraining

var options = ["threads": 2, "batch": 256, "steps": 20, "warmup": 5]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let key = Optional(String(flag.dropFirst(2))), options[key] != nil,
          let value = arguments.popFirst().flatMap(Int.init), value > 0 else {
        FileHandle.standardError.write(Data("usage: lstm-train-bench [--threads N] [--batch N] [--steps N] [--warmup N]\n".utf8))
        exit(2)
    }
    options[key] = value
}
let threads = options["threads"]!, batch = options["batch"]!, steps = options["steps"]!, warmup = options["warmup"]!

let spec = NetworkSpec.seed(inputSize: 19)
var rng = NNRandom(seed: 0)
let count = (steps + warmup) * batch
let windows = (0..<(count * 64 * 19)).map { _ in Float(rng.normal()) }
let labels = (0..<count).map { _ in Int32(rng.uniform() < 0.16 ? 1 : 0) }
let train = try SequenceDataset(windows: windows, labels: labels, sequenceLength: 64, featureCount: 19)
let validation = try SequenceDataset(windows: Array(windows[0..<(2 * 64 * 19)]), labels: [0, 1], sequenceLength: 64, featureCount: 19)

var config = LstmTrainingConfig()
config.epochs = 1
config.batchSize = batch
config.threads = threads
config.gradientClipNorm = nil
config.augmentation = .none
config.schedule = .constant
config.snapshots = 0
let model = try SequenceModel(spec: spec, seed: 0)
let trainer = try LstmTrainer(model: model, config: config)

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

var stamps: [Double] = [], cpuAtWarmup = 0.0, cpuAtEnd = 0.0
let start = Date()
stamps.append(0)
try trainer.train(train: train, validation: validation) { event in
    guard case .step(let s) = event else { return }
    stamps.append(Date().timeIntervalSince(start))
    if s.step == warmup { cpuAtWarmup = cpuSeconds() }
    if s.step == warmup + steps { cpuAtEnd = cpuSeconds() }
}
let times = (warmup..<(warmup + steps)).map { stamps[$0 + 1] - stamps[$0] }.sorted()
let median = times[times.count / 2]
var usage = rusage()
getrusage(RUSAGE_SELF.rawValue, &usage)
let result: [String: Any] = [
    "threads": threads, "batch": batch, "params": model.layout.count, "timed_steps": steps, "warmup_steps": warmup,
    "step_s_median": median, "step_s_p10": times[times.count / 10], "step_s_p90": times[times.count * 9 / 10],
    "seq_per_s_median": Double(batch) / median, "peak_rss_mib": Double(usage.ru_maxrss) / 1024,
    "first_loss": trainer.state.history.first?.trainLoss ?? .nan,
    // CPU seconds per step (all threads): throughput per core-second, robust to other load.
    "cpu_s_per_step": (cpuAtEnd - cpuAtWarmup) / Double(steps),
    "seq_per_cpu_s": Double(batch * steps) / (cpuAtEnd - cpuAtWarmup),
]
let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))

