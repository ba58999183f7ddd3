import Foundation

/// Crash-test hook: with `MODELC_REGISTRY_TEST_PAUSE=<step>` in the environment a push stops
/// at that step, says so on stderr (`modelc-test-pause: <step>`) and waits to be killed.
/// The tests use it to SIGKILL a push at each point where it could leave something behind.
/// Steps, in order: `blob-partial` (half the temp file written), `blob-synced` (temp file
/// complete, not renamed), `blob-stored` (blob in place, no index row), `row-inserted`
/// (index row written, transaction not committed).
enum TestPause {
    static let variable = "MODELC_REGISTRY_TEST_PAUSE"

    static func at(_ step: String) {
        guard ProcessInfo.processInfo.environment[variable] == step else { return }
        FileHandle.standardError.write(Data("modelc-test-pause: \(step)\n".utf8))
        while true { sleep(3600) }
    }
}
