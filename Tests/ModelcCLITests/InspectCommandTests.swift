import Foundation
import ModelcFormat
import ModelcRuntime
import XCTest

final class InspectCommandTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws { dir = try CLIRunner.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func demo() throws -> String {
        let path = dir.appendingPathComponent("demo.modelc").path
        let r = try CLIRunner.run(["demo", "-o", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        return path
    }

    func testTable() throws {
        let r = try CLIRunner.run(["inspect", try demo()])
        XCTAssertEqual(r.status, 0, r.stderr)
        for expected in ["format        1.1", "demo-dual", "BiLSTM", "MultiHeadAttention", "volatility_20",
                         "4 trees", "lstm.l0.weight_ih", "Model card"] {
            XCTAssertTrue(r.stdout.contains(expected), "missing '\(expected)' in:\n\(r.stdout)")
        }
    }

    /// Parameter counts follow from the architecture: checked against the formulas here.
    func testJSON() throws {
        let r = try CLIRunner.run(["inspect", "--json", try demo()])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertEqual((json["info"] as? [String: Any])?["name"] as? String, "demo-dual")
        XCTAssertEqual((json["features"] as? [Any])?.count, 19)
        let components = try XCTUnwrap(json["components"] as? [[String: Any]])
        let long = try XCTUnwrap(components.first { $0["name"] as? String == "long" })
        let layers = try XCTUnwrap(((long["members"] as? [[String: Any]])?.first?["layers"]) as? [[String: Any]])
        let params = layers.map { $0["parameters"] as? Int }
        let (i, h, e, fc) = (19, 8, 16, 8)
        XCTAssertEqual(params, [2 * (4 * h * i + 4 * h * h + 4 * h), 3 * e * e + 3 * e + e * e + e, fc * e + fc, 0, 2 * fc + 2])
    }

    func testDemoIsDeterministic() throws {
        let a = try demo()
        let b = dir.appendingPathComponent("again.modelc").path
        XCTAssertEqual(try CLIRunner.run(["demo", "-o", b]).status, 0)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: a)), try Data(contentsOf: URL(fileURLWithPath: b)))
    }

    func testCorruptFileNamesFileAndProblem() throws {
        let path = try demo()
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 3] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: path))
        let r = try CLIRunner.run(["inspect", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains(path) && r.stderr.contains("checksum mismatch"), r.stderr)
    }

    /// A feature the runtime cannot compute (RSI period 14.5) is refused by `inspect` (as by
    /// every reader), not only when a stream is created.
    func testUnscorableFeatureIsRefused() throws {
        var model = try Artifact(path: try demo()).model
        let rsi = try XCTUnwrap(model.features.features.firstIndex { $0.name == "rsi_14" })
        model.features.features[rsi].params = [14.5]
        let path = dir.appendingPathComponent("rsi-14.5.modelc").path
        try Data(try ArtifactWriter.encode(model)).write(to: URL(fileURLWithPath: path))
        let r = try CLIRunner.run(["inspect", path])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stderr.contains(path) && r.stderr.contains("feature \(rsi) 'rsi_14' (rsi): period must be a whole number"), r.stderr)
    }

    /// `inspect` checks a signature against the key it carries: intact, or does not verify
    /// (it used to say "signed yes" for both).
    func testSignatureIsCheckedNotAssumed() throws {
        let signed = try ArtifactSigner.sign([UInt8](try Data(contentsOf: URL(fileURLWithPath: try demo()))),
                                             with: ArtifactSigningKey.generate())
        let intact = dir.appendingPathComponent("signed.modelc").path
        try Data(signed).write(to: URL(fileURLWithPath: intact))
        var r = try CLIRunner.run(["inspect", intact])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("signature     intact, key "), r.stdout)

        // A different minor version: the artifact still opens, the signature no longer matches.
        let frame = try ArtifactFrame.readHeader(signed)
        var header = try Modelc_Header(serializedBytes: Array(signed[12..<frame.bodyOffset]))
        header.formatMinor += 1
        let tampered = dir.appendingPathComponent("tampered.modelc").path
        try Data(ArtifactWriter.frame(header: header, stored: Array(signed[frame.bodyOffset...]))).write(to: URL(fileURLWithPath: tampered))
        r = try CLIRunner.run(["inspect", tampered])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("signature     does not verify: signature by key"), r.stdout)
        r = try CLIRunner.run(["inspect", "--json", tampered])
        XCTAssertTrue(r.stdout.contains("\"signature\" : \"does not verify: "), r.stdout)
    }

    func testMissingFile() throws {
        let r = try CLIRunner.run(["inspect", "/nonexistent/model.modelc"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("/nonexistent/model.modelc"), r.stderr)
    }
}
