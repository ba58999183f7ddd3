import ArgumentParser
import Foundation
import ModelcPipeline

/// `modelc build CONFIG`: candles to a validated, compiled dual model with its model card.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Train, evaluate walk-forward, backtest and compile a model from a YAML build config.",
        discussion: """
            See Models/quickstart.yaml; every key is listed in Spec.md §14. Progress goes to standard error. Trained \
            components are kept in a task cache (Spec.md §14.6): a rebuild trains only what its changes touch, and a \
            killed build resumes. The same config and data give the same artifact bytes whatever ran the tasks.
            """
    )

    @Argument(help: "The build config (YAML).")
    var config: String

    @Option(name: .shortAndLong, help: "Where to write the artifact (default: the config's `output`).")
    var output: String?

    @OptionGroup var cache: CacheOptions

    @Option(help: "Tasks run at once, each a `modelc run-task` process with its share of the cores.")
    var jobs = 1

    @Option(help: "Where tasks run: local (this machine) or ray (the Ray cluster at RAY_ADDRESS; a local one when unset).")
    var executor = "local"

    func validate() throws {
        guard jobs >= 1, jobs <= 256 else { throw ValidationError("--jobs \(jobs): give 1 to 256") }
        guard ["local", "ray"].contains(executor) else { throw ValidationError("--executor \(executor): give local or ray") }
        guard executor == "local" || !cache.noCache else { throw ValidationError("--executor ray hands tasks over through the cache: drop --no-cache") }
    }

    func run() throws {
        let settings = try BuildConfig.load(path: config)
        guard let path = output ?? settings.output else {
            throw ValidationError("say where the artifact goes: -o PATH, or `output:` in \(config)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let started = Date()
        var pipeline = BuildPipeline(config: settings, configText: text)
        pipeline.cache = cache.taskCache(config: config)
        if let store = pipeline.cache {
            let executors = TaskExecutors(configPath: config, configText: text, cache: store)
            if executor == "ray" {
                pipeline.executor = executors.ray(cpus: max(1, settings.long.training.threads))
            } else if jobs > 1 {
                pipeline.executor = executors.local(jobs: jobs)
            }
        }
        let result = try pipeline.run(output: path)
        let b = result.model.card.backtest
        print("wrote \(path) (\(result.bytes.count) bytes) in \(Int(Date().timeIntervalSince(started))) s")
        print(String(format: "holdout backtest: return %+.2f %%, sharpe %.2f, max drawdown %.2f %%, %d trades",
                     100 * b.totalReturn, b.sharpe, 100 * b.maxDrawdown, b.trades))
    }
}

/// The task cache's folder, shared by `build`, `plan` and `run-task`.
struct CacheOptions: ParsableArguments {
    @Option(name: .customLong("cache"), help: "The task cache folder (default: .modelc-cache beside the config).")
    var folder: String?

    @Flag(help: "Keep no task outputs: every task runs, in this process.")
    var noCache = false

    /// The cache of a build of `config`, absolute; nil with --no-cache.
    func taskCache(config: String) -> TaskCache? {
        guard !noCache else { return nil }
        let path = folder ?? URL(fileURLWithPath: config).deletingLastPathComponent().appendingPathComponent(".modelc-cache").path
        return TaskCache(folder: URL(fileURLWithPath: path).standardizedFileURL.path)
    }
}
