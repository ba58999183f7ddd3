import ArgumentParser
import Foundation
import ModelcFiles
import ModelcPipeline

/// `modelc plan CONFIG -o PLAN`: the build's next tasks the cache lacks, for any engine to run.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the build tasks the cache lacks (JSON) for `modelc run-task` to run anywhere.",
        discussion: """
            A plan holds one stage's tasks (a search rung, then the windows and the final span); run them all \
            (any order, any machines sharing the cache), then plan again. An empty plan means the cache holds \
            everything: `modelc build` then only assembles the artifact. Spec.md §14.6.
            """
    )

    @Argument(help: "The build config (YAML).")
    var config: String

    @Option(name: .shortAndLong, help: "Where to write the plan.")
    var output: String

    @OptionGroup var cache: CacheOptions

    func validate() throws {
        guard !cache.noCache else { throw ValidationError("a plan hands tasks over through the cache: drop --no-cache") }
    }

    func run() throws {
        let text = try String(contentsOfFile: config, encoding: .utf8)
        var pipeline = BuildPipeline(config: try BuildConfig.load(path: config), configText: text)
        let store = cache.taskCache(config: config)!
        pipeline.cache = store
        let tasks = try pipeline.plan()
        let plan = BuildPlan(config: URL(fileURLWithPath: config).standardizedFileURL.path, configSHA256: TaskCache.digest(Data(text.utf8)),
                             cache: store.folder, tasks: tasks)
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: output).deletingLastPathComponent(), withIntermediateDirectories: true)
        try AtomicFile.write(try plan.encoded(), to: output)
        print(tasks.isEmpty ? "wrote \(output): nothing to run; `modelc build` assembles the artifact from the cache"
              : "wrote \(output): \(tasks.count) task(s): " + tasks.map(\.id).joined(separator: " "))
    }
}
