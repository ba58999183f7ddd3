import Foundation
@testable import ModelcRegistry
import XCTest

/// Several `modelc` processes pushing into one registry at once.
final class RegistryConcurrencyTests: TemporaryDirectoryTestCase {
    /// 4 processes push 50 distinct artifacts each into a registry none of them has created
    /// yet: 200 versions numbered 1...200 with no duplicates and no gaps, each pointing at the
    /// blob of exactly one of the files, each the child of the version before it.
    func testFourProcessesPushingFiftyEach() throws {
        let registryPath = path("registry")
        let batches = try (0..<4).map { p in
            try (0..<50).map { i -> String in
                let file = path("p\(p)-\(i).modelc")
                try TestArtifacts.write(to: file, seed: 1000, variant: p * 50 + i)
                return file
            }
        }
        let expected = Set(try sha256sums(batches.flatMap { $0 }))
        XCTAssertEqual(expected.count, 200, "the test needs 200 different artifacts")

        let started = Date()
        let processes = try batches.map {
            try ModelcProcess.start(["registry", "push", "--name", "swarm", "--registry", registryPath, "--json"] + $0)
        }
        for p in processes {
            p.process.waitUntilExit()
            XCTAssertEqual(p.process.terminationStatus, 0, p.stderr)
        }
        print("4 x 50 concurrent pushes: \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        let versions = try Registry(path: registryPath).versions(of: "swarm")
        XCTAssertEqual(versions.map(\.version), Array(1...200))
        XCTAssertEqual(Set(versions.map(\.sha256)), expected)
        XCTAssertEqual(versions.map(\.parent), [nil] + (1..<200).map { Optional($0) })
        // Each process saw its own pushes get increasing versions; together they cover 1...200.
        var owner: [Int: Int] = [:]
        for (i, p) in processes.enumerated() {
            let results = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [[String: Any]])
            let numbers = results.compactMap { ($0["record"] as? [String: Any])?["version"] as? Int }
            XCTAssertEqual(numbers.count, 50)
            XCTAssertEqual(numbers, numbers.sorted())
            for n in numbers { owner[n] = i }
        }
        XCTAssertEqual(owner.keys.sorted(), Array(1...200))
        let switches = (1..<200).filter { owner[$0] != owner[$0 + 1] }.count
        print("consecutive versions pushed by different processes: \(switches) of 199")
        let report = try Registry(path: registryPath).verify()
        XCTAssertTrue(report.ok, "\(report.problems)")
        XCTAssertEqual(report.blobsChecked, 200)
        XCTAssertTrue(report.unreferencedBlobs.isEmpty && report.temporaryFiles.isEmpty)
    }

    /// gc runs after a push has stored its blob and before it takes the write lock: gc
    /// removes the (still unreferenced) blob, and the push, checking under the lock, stores it
    /// again before it commits the row.
    func testGarbageCollectionBetweenBlobAndRow() throws {
        let registryPath = path("registry"), file = path("a.modelc"), resume = path("resume")
        try TestArtifacts.write(to: file, seed: 1)
        let sha = try sha256sum(file)
        let pusher = try ModelcProcess.start(["registry", "push", file, "--name", "g", "--registry", registryPath],
                                             environment: ["MODELC_REGISTRY_TEST_PAUSE": "blob-stored", "MODELC_REGISTRY_TEST_RESUME": resume])
        XCTAssertTrue(pusher.waitForStderr("modelc-test-pause: blob-stored"), pusher.stderr)
        let gc = try ModelcProcess.run(["registry", "gc", "--apply", "--json", "--registry", registryPath])
        XCTAssertEqual(gc.status, 0, gc.stderr)
        XCTAssertEqual(((try gc.json() as? [String: Any])?["blobs"] as? [String])?.count, 1, gc.stdout)

        _ = FileManager.default.createFile(atPath: resume, contents: nil)
        pusher.process.waitUntilExit()
        XCTAssertEqual(pusher.process.terminationStatus, 0, pusher.stderr)
        let registry = try Registry(path: registryPath)
        let version = try registry.resolve(ModelRef(parsing: "g@1"))
        XCTAssertEqual(version.sha256, sha)
        XCTAssertEqual(BlobStore.sha256(try registry.artifactBytes(version)), sha)
        XCTAssertTrue(try registry.verify().ok)
    }
}
