import Foundation
import XCTest

/// `modelc report` as a user runs it: reads an artifact, writes one HTML file, the same bytes
/// every run (another process, another Dictionary seed), and names the file it cannot read.
final class ReportCommandTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try CLIRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testWritesTheSameSelfContainedPageEveryRun() throws {
        let artifact = dir.appendingPathComponent("demo.modelc").path
        XCTAssertEqual(try CLIRunner.run(["demo", "-o", artifact]).status, 0)
        var pages: [Data] = []
        for name in ["a.html", "b.html"] {
            let out = dir.appendingPathComponent(name).path
            let r = try CLIRunner.run(["report", artifact, "-o", out])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.hasPrefix("wrote \(out)"), r.stdout)
            pages.append(try Data(contentsOf: URL(fileURLWithPath: out)))
        }
        XCTAssertEqual(pages[0], pages[1])
        let html = String(decoding: pages[0], as: UTF8.self)
        for expected in ["<h1>demo-dual 0.1.0</h1>", "<td>f32 thresholds</td>", "<td>long</td>",
                         "Untrained demo: random weights, no evaluation."] {
            XCTAssertTrue(html.contains(expected), "missing \(expected)")
        }
        XCTAssertFalse(html.contains("<script"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "the atomic write leaves no temporary file")
    }

    func testAMissingArtifactIsNamed() throws {
        let missing = dir.appendingPathComponent("nope.modelc").path
        let r = try CLIRunner.run(["report", missing, "-o", dir.appendingPathComponent("x.html").path])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains(missing), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.html").path))
    }
}
