import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import XCTest

/// Artifacts for registry tests: the seeded demo model with chosen model-card metrics, so
/// different seeds or metrics give different bytes.
enum TestArtifacts {
    /// `metrics` keys are `<component>.<metric>`, as the registry names them.
    /// A `variant` other than nil changes only the model's metadata: a cheap different artifact.
    static func bytes(seed: UInt64, variant: Int? = nil, metrics: [String: Double] = [:],
                      compression: BodyCompression = .none) throws -> [UInt8] {
        var model = DemoModel.make(seed: seed)
        if let variant { model.info.metadata["variant"] = String(variant) }
        model.card.overall = metrics.sorted { $0.key < $1.key }.map { key, value in
            var m = Modelc_Metric()
            let parts = key.split(separator: ".", maxSplits: 1)
            m.component = String(parts[0])
            m.name = String(parts[1])
            m.value = value
            return m
        }
        return try ArtifactWriter.encode(model, compression: compression)
    }

    /// The header message and the stored body of artifact bytes (Spec.md §1), split by hand.
    static func split(_ bytes: [UInt8]) throws -> (header: Modelc_Header, stored: [UInt8]) {
        let h = Int(bytes[8]) | Int(bytes[9]) << 8 | Int(bytes[10]) << 16 | Int(bytes[11]) << 24
        return (try Modelc_Header(serializedBytes: Array(bytes[12..<(12 + h)])), Array(bytes[(12 + h)...]))
    }

    /// Re-frames artifact bytes with a changed header, keeping the body (and any signature).
    static func reframe(_ bytes: [UInt8], _ change: (inout Modelc_Header) -> Void) throws -> [UInt8] {
        var (header, stored) = try split(bytes)
        change(&header)
        return ArtifactWriter.frame(header: header, stored: stored)
    }

    @discardableResult
    static func write(to path: String, seed: UInt64, variant: Int? = nil, metrics: [String: Double] = [:]) throws -> [UInt8] {
        let bytes = try bytes(seed: seed, variant: variant, metrics: metrics)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return bytes
    }
}

/// A fresh directory per test, removed afterwards.
class TemporaryDirectoryTestCase: XCTestCase {
    var dir: String!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        // Blobs are read-only; their directories are not, so removal works.
        try? FileManager.default.removeItem(atPath: dir)
    }

    func path(_ name: String) -> String { "\(dir!)/\(name)" }

    /// SHA-256 hex of each file, computed by the system's `sha256sum`, independently of the
    /// code under test.
    func sha256sums(_ files: [String]) throws -> [String] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = files
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let sums = text.split(separator: "\n").map { String($0.prefix(64)) }
        XCTAssertEqual(sums.count, files.count)
        return sums
    }

    func sha256sum(_ file: String) throws -> String { try sha256sums([file])[0] }
}

/// Runs the built `modelc` executable as a user or a bot would (the test bundle sits beside it).
enum ModelcProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var executable: URL { Bundle.main.bundleURL.appendingPathComponent("modelc") }

    /// The test's environment without registry settings, plus `overrides`.
    static func environment(_ overrides: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["MODELC_REGISTRY"] = nil
        env["MODELC_REGISTRY_TEST_PAUSE"] = nil
        return env.merging(overrides) { _, new in new }
    }

    static func run(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> Result {
        let running = try start(arguments, environment: overrides)
        running.process.waitUntilExit()
        return Result(status: running.process.terminationStatus, stdout: running.stdout, stderr: running.stderr)
    }

    /// Starts `modelc` without waiting; its output goes to files, read at any time.
    static func start(_ arguments: [String], environment overrides: [String: String] = [:]) throws -> Running {
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-proc-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: logs.path + ".out", contents: nil)
        _ = FileManager.default.createFile(atPath: logs.path + ".err", contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment(overrides)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: logs.path + ".out"))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logs.path + ".err"))
        try process.run()
        return Running(process: process, logs: logs.path)
    }

    final class Running {
        let process: Process
        let logs: String

        init(process: Process, logs: String) {
            self.process = process
            self.logs = logs
        }

        deinit {
            try? FileManager.default.removeItem(atPath: logs + ".out")
            try? FileManager.default.removeItem(atPath: logs + ".err")
        }

        var stdout: String { (try? String(contentsOfFile: logs + ".out", encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: logs + ".err", encoding: .utf8)) ?? "" }

        /// Waits until stderr contains `text` (true) or the process ends or `timeout` passes (false).
        func waitForStderr(_ text: String, timeout: TimeInterval = 30) -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if stderr.contains(text) { return true }
                if !process.isRunning { return stderr.contains(text) }
                usleep(5_000)
            }
            return false
        }

        func kill() {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension ModelcProcess.Result {
    func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
}
