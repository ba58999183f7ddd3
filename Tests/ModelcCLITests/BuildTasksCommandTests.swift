import Foundation
import ModelcTestSupport
import XCTest

/// One build, run four ways through the binary — serially with no cache, with `--jobs 2`, killed
/// with SIGKILL and run again, and as `modelc plan` / `modelc run-task` waves — writes the same
/// artifact bytes (Spec.md §14.6).
final class BuildTasksCommandTests: XCTestCase {
    private var dir: URL!
    private var config: String { dir.appendingPathComponent("eth.yaml").path }

    override func setUpWithError() throws {
        setenv("SOURCE_DATE_EPOCH", "1700000000", 1)
        dir = try CLIRunner.temporaryDirectory()
        try TaskBuildConfig.yaml.write(toFile: config, atomically: true, encoding: .utf8)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func bytes(_ name: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(name)) }

    private func build(_ name: String, _ options: [String]) throws -> CLIRunner.Result {
        let r = try CLIRunner.run(["build", config, "-o", path(name)] + options)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r
    }

    func testJobsKillAndPlanGiveTheSerialBytes() throws {
        _ = try build("serial.modelc", ["--no-cache"])
        let serial = try bytes("serial.modelc")

        let jobs = try build("jobs.modelc", ["--jobs", "2", "--cache", path("jobs-cache")])
        XCTAssertEqual(try bytes("jobs.modelc"), serial)
        XCTAssertTrue(jobs.stderr.contains("(2 job(s) x "), jobs.stderr)
        let warm = try build("warm.modelc", ["--jobs", "2", "--cache", path("jobs-cache")])
        XCTAssertEqual(try bytes("warm.modelc"), serial)
        XCTAssertFalse(warm.stderr.contains(" done, "), "a warm build runs no task: \(warm.stderr)")

        // SIGKILL as soon as the first task's output is in the cache, then build again.
        let killed = Process()
        killed.executableURL = CLIRunner.executable
        killed.arguments = ["build", config, "-o", path("killed.modelc"), "--cache", path("kill-cache")]
        killed.standardError = FileHandle.nullDevice
        killed.standardOutput = FileHandle.nullDevice
        try killed.run()
        let deadline = Date().addingTimeInterval(120)
        while entries(path("kill-cache")) == 0 && killed.isRunning && Date() < deadline { usleep(20_000) }
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        XCTAssertEqual(killed.terminationReason, .uncaughtSignal)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("killed.modelc")), "killed before the artifact")
        let kept = entries(path("kill-cache"))
        XCTAssertGreaterThan(kept, 0)
        let resumed = try build("killed.modelc", ["--cache", path("kill-cache")])
        XCTAssertEqual(try bytes("killed.modelc"), serial)
        XCTAssertTrue(resumed.stderr.contains("cached"), resumed.stderr)

        // The engine-neutral contract: plan, run every task (by index, as a job array would), plan again.
        var waves = 0
        while true {
            let plan = try CLIRunner.run(["plan", config, "-o", path("plan.json"), "--cache", path("plan-cache")])
            XCTAssertEqual(plan.status, 0, plan.stderr)
            let tasks = try JSONSerialization.jsonObject(with: try bytes("plan.json")) as! [String: Any]
            let count = (tasks["tasks"] as! [Any]).count
            if count == 0 { break }
            waves += 1
            for i in (0..<count).reversed() {
                let run = try CLIRunner.run(["run-task", path("plan.json"), String(i), "--threads", "1"])
                XCTAssertEqual(run.status, 0, run.stderr)
            }
            XCTAssertLessThan(waves, 4)
        }
        XCTAssertEqual(waves, 3, "two search rungs, then the windows and the final span")
        let assembled = try build("planned.modelc", ["--cache", path("plan-cache")])
        XCTAssertEqual(try bytes("planned.modelc"), serial)
        XCTAssertFalse(assembled.stderr.contains("to run"), assembled.stderr)

        let missing = try CLIRunner.run(["run-task", path("plan.json"), "window-9"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("has no task 'window-9'"), missing.stderr)
    }

    /// Cache entries (files named by their 64-hex key) under `folder`.
    private func entries(_ folder: String) -> Int {
        ((try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []).filter { $0.count == 67 && !$0.hasPrefix("logs") }.count
    }
}
