import Foundation
@testable import ModelcPipeline
import ModelcTestSupport
import XCTest

/// The task cache (Spec.md §14.6): a build from a cold cache, from a warm one, after a change of
/// the blend only, and over damaged entries writes the bytes of a build with no cache at all.
final class BuildCacheTests: XCTestCase {
    /// 5 search tasks (3 trials, then the better 2), then 2 windows and the final span.
    static let yaml = TaskBuildConfig.yaml

    override func setUp() { setenv("SOURCE_DATE_EPOCH", "1700000000", 1) }

    private func build(_ yaml: String, in dir: URL, cache: Bool) throws -> (bytes: [UInt8], log: [String]) {
        let file = dir.appendingPathComponent("tiny.yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        var pipeline = BuildPipeline(config: try BuildConfig.load(path: file.path), configText: yaml)
        var lines: [String] = []
        pipeline.log = { lines.append($0) }
        if cache { pipeline.cache = TaskCache(folder: dir.appendingPathComponent("cache").path) }
        return (try pipeline.run(output: dir.appendingPathComponent("tiny.modelc").path).bytes, lines)
    }

    private func trainings(_ log: [String]) -> Int { log.filter { $0.contains("trees (leaf_wise) on") }.count }

    func testCachedBuildsWriteTheBytesOfAnUncachedOneAndTrainOnlyWhatChanged() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let plain = try build(Self.yaml, in: dir, cache: false)
        let cold = try build(Self.yaml, in: dir, cache: true)
        XCTAssertEqual(cold.bytes, plain.bytes)
        XCTAssertEqual(trainings(cold.log), 6, "windows and final: LONG and SHORT trees each")
        XCTAssertTrue(cold.log.contains("  tasks: 0 of 3 cached, 3 to run"), cold.log.joined(separator: "\n"))

        let warm = try build(Self.yaml, in: dir, cache: true)
        XCTAssertEqual(warm.bytes, plain.bytes)
        XCTAssertEqual(trainings(warm.log), 0, warm.log.joined(separator: "\n"))
        XCTAssertEqual(warm.log.filter { $0.hasPrefix("  tasks:") }, ["  tasks: 3 of 3 cached", "  tasks: 2 of 2 cached", "  tasks: 3 of 3 cached"])

        // The blend is not in any task's key; the trees' learning rate range is in every one.
        let blend = try build(Self.yaml.replacingOccurrences(of: "confidence: 0", with: "confidence: 0.5"), in: dir, cache: true)
        XCTAssertEqual(trainings(blend.log), 0, blend.log.joined(separator: "\n"))
        XCTAssertNotEqual(blend.bytes, plain.bytes, "the config digest and the fitted policy change")
        let trees = try build(Self.yaml.replacingOccurrences(of: "[0.03, 0.2]", with: "[0.03, 0.25]"), in: dir, cache: true)
        XCTAssertEqual(trainings(trees.log), 6)
    }

    func testDamagedEntriesAreNamedRemovedAndRebuiltNeverUsed() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("modelc-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cold = try build(Self.yaml, in: dir, cache: true)
        let folder = dir.appendingPathComponent("cache").path
        let entries = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.count == 67 }.sorted()
        XCTAssertEqual(entries.count, 8, "5 search tasks, 2 windows, the final span")
        let paths = entries.map { "\(folder)/\($0)" }
        // Truncated, a payload byte flipped, another key's entry under this name, not an entry at all.
        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[0])))
        try Data(whole.prefix(whole.count - 9)).write(to: URL(fileURLWithPath: paths[0]))
        var flipped = try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[1])))
        flipped[flipped.count - 1] ^= 0x40
        try Data(flipped).write(to: URL(fileURLWithPath: paths[1]))
        try FileManager.default.removeItem(atPath: paths[2])
        try FileManager.default.copyItem(atPath: paths[3], toPath: paths[2])
        try Data("PK\u{3}\u{4} not a cache entry".utf8).write(to: URL(fileURLWithPath: paths[4]))

        let again = try build(Self.yaml, in: dir, cache: true)
        XCTAssertEqual(again.bytes, cold.bytes)
        let rejected = again.log.filter { $0.hasPrefix("cache entry ") }
        XCTAssertEqual(rejected.count, 4, again.log.joined(separator: "\n"))
        for (path, reason) in [(paths[0], "truncated: "), (paths[1], "payload SHA-256 "), (paths[2], "not this one (a foreign entry)"),
                               (paths[4], "no header line")] {
            XCTAssertTrue(rejected.contains { $0.hasPrefix("cache entry \(path): ") && $0.contains(reason) }, "\(reason): \(rejected)")
        }
        // Each was written again, whole.
        for path in paths { XCTAssertNotNil(TaskCache(folder: folder).load(String(path.suffix(64)), reject: { XCTFail($0) })) }
    }

    func testTrainedComponentsAndScoresComeBackBitForBit() throws {
        var w = ByteWriter()
        w.array([Double.nan, -.infinity, 0x1p-1074, -0.0]) { $0.double($1) }
        w.array([Float.nan, .greatestFiniteMagnitude, -0.0]) { $0.float($1) }
        var r = ByteReader(w.bytes, name: "payload")
        XCTAssertEqual(try r.array { try $0.double() }.map(\.bitPattern), [Double.nan, -.infinity, 0x1p-1074, -0.0].map(\.bitPattern))
        XCTAssertEqual(try r.array { try $0.float() }.map(\.bitPattern), [Float.nan, .greatestFiniteMagnitude, -0.0].map(\.bitPattern))
        XCTAssertNoThrow(try r.finish())
        var short = ByteReader(Array(w.bytes.dropLast()), name: "payload")
        XCTAssertNoThrow(try short.array { try $0.double() })
        XCTAssertThrowsError(try short.array { try $0.float() }) { XCTAssertTrue("\($0)".contains("payload: truncated"), "\($0)") }
    }
}
