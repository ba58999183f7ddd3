import ArgumentParser
import Foundation
import ModelcPipeline

/// `modelc run-task PLAN TASK`: one task of a plan, its output stored in the cache.
struct RunTaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-task",
        abstract: "Run one task of a plan and store its output in the task cache.",
        discussion: "What every executor runs: `modelc build --jobs`, Ray, a Slurm array or a Kubernetes Indexed Job (Spec.md §14.6)."
    )

    @Argument(help: "The plan (`modelc plan`).")
    var plan: String

    @Argument(help: "The task's id, or its 0-based position in the plan (a job array's index).")
    var task: String

    @Option(name: .customLong("cache"), help: "The task cache folder (default: the plan's).")
    var cacheFolder: String?

    @Option(help: "Threads for the trainers (default: the config's); the output is the same with any.")
    var threads: Int?

    func run() throws {
        let p = try BuildPlan.load(path: plan)
        guard let t = p.tasks.first(where: { $0.id == task }) ?? Int(task).flatMap({ p.tasks.indices.contains($0) ? p.tasks[$0] : nil }) else {
            throw ValidationError("\(plan) has no task '\(task)' (it has \(p.tasks.count): \(p.tasks.map(\.id).joined(separator: " ")))")
        }
        let text = try String(contentsOfFile: p.config, encoding: .utf8)
        guard TaskCache.digest(Data(text.utf8)) == p.configSHA256 else {
            throw ValidationError("\(p.config) changed since \(plan) was planned: plan again")
        }
        var settings = try BuildConfig.load(path: p.config)
        if let threads {
            guard threads >= 1, threads <= 1024 else { throw ValidationError("--threads \(threads): give 1 to 1024") }
            settings.trees.parameters.threads = threads
            settings.long.training.threads = threads
            settings.short.training.threads = threads
        }
        var pipeline = BuildPipeline(config: settings, configText: text)
        pipeline.cache = TaskCache(folder: cacheFolder ?? p.cache)
        try pipeline.perform(t)
        print("\(t.id): stored \(t.key)")
    }
}
