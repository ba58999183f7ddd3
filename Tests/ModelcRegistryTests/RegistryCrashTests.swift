import Foundation
@testable import ModelcRegistry
import ModelcRuntime
import XCTest

/// Pushes killed with SIGKILL never leave a visible half-written version or a blob with a
/// wrong digest, and the registry keeps working afterwards.
final class RegistryCrashTests: TemporaryDirectoryTestCase {
    private func push(_ file: String, pauseAt step: String? = nil) throws -> ModelcProcess.Running {
        try ModelcProcess.start(["registry", "push", file, "--name", "m", "--registry", path("registry")],
                                environment: step.map { ["MODELC_REGISTRY_TEST_PAUSE": $0] } ?? [:])
    }

    /// The registry is consistent: versions 1...n, each the child of the one before, every
    /// blob intact.
    private func assertConsistent(versions n: Int, file: StaticString = #filePath, line: UInt = #line) throws -> VerifyReport {
        let registry = try Registry(path: path("registry"))
        let versions = n == 0 ? [] : try registry.versions(of: "m")
        XCTAssertEqual(versions.map(\.version), Array(0..<n).map { $0 + 1 }, file: file, line: line)
        XCTAssertEqual(versions.map(\.parent), (0..<n).map { $0 == 0 ? nil : $0 }, file: file, line: line)
        let report = try registry.verify()
        XCTAssertTrue(report.ok, "\(report.problems)", file: file, line: line)
        return report
    }

    /// Kills a push at each step where it has written something, then pushes the same
    /// artifact to completion.
    func testKilledAtEveryStep() throws {
        let first = path("first.modelc")
        try TestArtifacts.write(to: first, seed: 1)
        let done = try push(first)
        done.process.waitUntilExit()
        XCTAssertEqual(done.process.terminationStatus, 0, done.stderr)

        var versions = 1
        for (i, step) in ["blob-partial", "blob-written", "blob-stored", "row-inserted"].enumerated() {
            let file = path("\(step).modelc")
            try TestArtifacts.write(to: file, seed: UInt64(10 + i))
            let sha = try sha256sum(file)
            let running = try push(file, pauseAt: step)
            XCTAssertTrue(running.waitForStderr("modelc-test-pause: \(step)"), "\(step): \(running.stderr)")
            running.kill()

            let report = try assertConsistent(versions: versions)
            let blobs = try Registry(path: path("registry")).blobs
            switch step {
            case "blob-partial", "blob-written":
                XCTAssertFalse(FileManager.default.fileExists(atPath: blobs.path(of: sha)), step)
                XCTAssertFalse(report.temporaryFiles.isEmpty, "\(step): the temporary file is what is left")
            default:
                XCTAssertEqual(report.unreferencedBlobs, ["sha256:\(sha)"], step)
            }

            let retry = try push(file)
            retry.process.waitUntilExit()
            XCTAssertEqual(retry.process.terminationStatus, 0, retry.stderr)
            versions += 1
            _ = try assertConsistent(versions: versions)
        }
        let gc = try ModelcProcess.run(["registry", "gc", "--apply", "--temporary-age", "0", "--registry", path("registry"), "--json"])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        let report = try assertConsistent(versions: versions)
        XCTAssertTrue(report.temporaryFiles.isEmpty && report.unreferencedBlobs.isEmpty)
    }

    /// Pushes of several artifacts killed after a (seeded) random delay: whatever was
    /// committed is complete and numbered without gaps.
    func testKilledAtRandomPoints() throws {
        var generator = SplitMix64(seed: 2024)
        var seed: UInt64 = 100
        var committed = 0
        for round in 0..<6 {
            let files = try (0..<8).map { _ -> String in
                seed += 1
                let file = path("r\(seed).modelc")
                try TestArtifacts.write(to: file, seed: seed)
                return file
            }
            let running = try ModelcProcess.start(["registry", "push", "--name", "m", "--registry", path("registry")] + files)
            usleep(UInt32.random(in: 20_000...400_000, using: &generator))
            running.kill()
            let registry = try Registry(path: path("registry"))
            let now = (try? registry.versions(of: "m").count) ?? 0
            XCTAssertGreaterThanOrEqual(now, committed, "round \(round)")
            committed = now
            _ = try assertConsistent(versions: committed)
        }
        print("random kills: \(committed) of 48 pushes committed before their process was killed")
    }
}
