import Foundation

/// Crash-test hook: with `MODELC_REGISTRY_TEST_PAUSE=<step>` in the environment a push stops
/// at that step, says so on stderr (`modelc-test-pause: <step>`) and waits to be killed.
/// The tests use it to SIGKILL a push at each point where it could leave something behind.
/// Steps, in order: `blob-partial` (half the temp file written), `blob-written` (temp file
/// complete, not synced or renamed), `blob-stored` (blob in place, no index row), `row-inserted`
/// (index row written, transaction not committed). With `MODELC_REGISTRY_TEST_RESUME=<file>`
/// it goes on once that file exists, so a test can run something else at that point.
enum TestPause {
    static let variable = "MODELC_REGISTRY_TEST_PAUSE"
    static let resumeVariable = "MODELC_REGISTRY_TEST_RESUME"

    static func at(_ step: String) {
        let env = ProcessInfo.processInfo.environment
        guard env[variable] == step else { return }
        FileHandle.standardError.write(Data("modelc-test-pause: \(step)\n".utf8))
        while !(env[resumeVariable].map(FileManager.default.fileExists) ?? false) { usleep(10_000) }
    }
}
