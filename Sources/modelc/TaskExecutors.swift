import Foundation
import ModelcFiles
import ModelcPipeline

/// Where a build's tasks run when not one after another in the build's own process: each wave of
/// tasks the cache lacks becomes a plan file (the same `modelc plan` writes), and every task is
/// one `modelc run-task PLAN TASK` — as child processes here, or as Ray tasks on a cluster.
struct TaskExecutors {
    let configPath: String
    let configText: String
    let cache: TaskCache

    /// Writes the plan of `tasks` into the cache folder and returns its path.
    func writePlan(_ tasks: [BuildTask]) throws -> String {
        let plan = BuildPlan(config: URL(fileURLWithPath: configPath).standardizedFileURL.path,
                             configSHA256: sha256(configText), cache: cache.folder, tasks: tasks)
        let bytes = try plan.encoded()
        let path = "\(cache.folder)/plans/\(sha256(String(decoding: bytes, as: UTF8.self)).prefix(16)).json"
        try FileManager.default.createDirectory(atPath: "\(cache.folder)/plans", withIntermediateDirectories: true)
        try AtomicFile.write(bytes, to: path)
        return path
    }

    /// Runs up to `jobs` tasks at once as child processes, each with its share of the cores, its
    /// output in `CACHE/logs/TASK.log`; prints a line as each finishes, with an estimate of the rest.
    func local(jobs: Int) -> ([BuildTask]) throws -> Void {
        { tasks in
            let plan = try writePlan(tasks)
            let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / jobs)
            try FileManager.default.createDirectory(atPath: "\(cache.folder)/logs", withIntermediateDirectories: true)
            var queue = tasks[...]
            var running: [(task: BuildTask, process: Process)] = []
            var done = 0
            let started = Date()
            let finished = DispatchSemaphore(value: 0)
            while !queue.isEmpty || !running.isEmpty {
                while running.count < jobs, let task = queue.popFirst() {
                    let p = Process()
                    p.executableURL = URL(fileURLWithPath: Self.executable)
                    p.arguments = ["run-task", plan, task.id, "--threads", String(threads)]
                    let log = "\(cache.folder)/logs/\(task.id).log"
                    FileManager.default.createFile(atPath: log, contents: nil)
                    p.standardError = FileHandle(forWritingAtPath: log)
                    p.standardOutput = FileHandle(forWritingAtPath: log)
                    p.terminationHandler = { _ in finished.signal() }
                    try p.run()
                    running.append((task, p))
                }
                finished.wait()
                for (i, r) in running.enumerated().reversed() where !r.process.isRunning {
                    running.remove(at: i)
                    guard r.process.terminationStatus == 0 else {
                        for other in running { other.process.terminate() }
                        let log = (try? String(contentsOfFile: "\(cache.folder)/logs/\(r.task.id).log", encoding: .utf8)) ?? ""
                        throw TaskFailure("task \(r.task.id) failed (exit \(r.process.terminationStatus)); the end of "
                            + "\(cache.folder)/logs/\(r.task.id).log:\n" + log.split(separator: "\n").suffix(8).joined(separator: "\n"))
                    }
                    done += 1
                    let elapsed = Date().timeIntervalSince(started)
                    let left = elapsed / Double(done) * Double(tasks.count - done) / Double(min(jobs, tasks.count))
                    progress("  tasks: \(done) of \(tasks.count) done, \(running.count) running (\(jobs) job(s) x \(threads) thread(s))"
                        + (done < tasks.count ? ", about \(Int(left.rounded())) s left" : "") + "; \(r.task.id) finished")
                }
            }
        }
    }

    /// Hands each wave to Ray through the Python package's glue (`python -m modelc.ray_tasks`):
    /// every task a Ray task running this binary with `cpus` cores, retried when it fails.
    func ray(cpus: Int) -> ([BuildTask]) throws -> Void {
        { tasks in
            let plan = try writePlan(tasks)
            let environment = ProcessInfo.processInfo.environment
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [environment["MODELC_PYTHON"] ?? "python3", "-m", "modelc.ray_tasks", plan, "--modelc", Self.executable,
                           "--cpus", String(cpus)]
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else {
                throw TaskFailure("the Ray executor failed (exit \(p.terminationStatus)) on \(plan); see its output above")
            }
        }
    }

    /// This binary, which every task runs.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    private func progress(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }

    private func sha256(_ text: String) -> String { TaskCache.digest(Data(text.utf8)) }
}

/// A task that did not run to the end, with what it printed last.
struct TaskFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
