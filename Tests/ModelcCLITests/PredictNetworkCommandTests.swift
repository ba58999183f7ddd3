import Foundation
import ModelcFormat
import ModelcTestSupport
import XCTest

/// `modelc import pytorch` then `modelc predict` on windows: PyTorch's own probabilities come back.
final class PredictNetworkCommandTests: XCTestCase {
    func testSeedNetworkMatchesPyTorch() throws {
        let fixtures = RepositoryPaths.shared("fixtures/lstm")
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let artifact = dir.appendingPathComponent("long.modelc").path
        let imported = try CLIRunner.run(["import", "pytorch", "--arch", RepositoryPaths.root.appendingPathComponent("Models/pytorch/seed-long.yaml").path,
                                          fixtures.appendingPathComponent("seed_trained_long_f19.safetensors").path, "-o", artifact])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        // 24 windows: real ones and the extreme rows 512...
        let all = try NpyArray(path: fixtures.appendingPathComponent("inputs_f19.npy").path)
        let size = 64 * 19
        let rows = Array(0..<12) + Array(520..<532)
        let values = all.doubles()
        let windows = NpyArray(float64: rows.flatMap { values[($0 * size)..<(($0 + 1) * size)] }, shape: [rows.count, 64, 19])
        let input = dir.appendingPathComponent("x.npy").path, output = dir.appendingPathComponent("p.npy").path
        try Data(windows.encoded()).write(to: URL(fileURLWithPath: input))
        let predicted = try CLIRunner.run(["predict", artifact, "--input", input, "-o", output])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        let p = try NpyArray(path: output).doubles()
        let reference = try NpyArray(path: fixtures.appendingPathComponent("seed_trained_long_f19_probs_f64.npy").path).doubles()
        XCTAssertEqual(p.count, rows.count)
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(p[i], reference[2 * row + 1], accuracy: 1e-6, "window \(row)")
        }
        let margin = try CLIRunner.run(["predict", artifact, "--input", input, "--output", output, "--kind", "margin"])
        XCTAssertEqual(margin.status, 1)
        XCTAssertTrue(margin.stderr.contains("is a network"), margin.stderr)
    }
}
