import XCTest
import ModelcTraining

/// PyTorch's trained weights in the trainer's own forward pass reproduce PyTorch's logits: an
/// independent check of the layer semantics, the parameter names and the layouts.
final class LstmFixtureParityTests: XCTestCase {
    /// `rows` of the 544 fixture windows (0–511 real, 512–543 extreme).
    private func check(model name: String, inputs: String, inputSize: Int, rows: [Int]) throws {
        let model = try SequenceModel(spec: .seed(inputSize: inputSize))
        try model.load(stateDict: try LstmFixtures.stateDict("\(name).safetensors"), source: name)
        let x = try LstmFixtures.npy(inputs)
        XCTAssertEqual(x.shape, [544, 64, inputSize])
        let perWindow = 64 * inputSize
        let windows = rows.flatMap { r in x.values[(r * perWindow)..<((r + 1) * perWindow)].map(Float.init) }
        let logits = try model.logits(windows: windows, count: rows.count, threads: 2)
        let expected = try LstmFixtures.npy("\(name)_logits_f64.npy")
        XCTAssertEqual(expected.shape, [544, 2])
        var worst = 0.0
        for (i, r) in rows.enumerated() {
            for c in 0..<2 { worst = max(worst, abs(Double(logits[2 * i + c]) - expected.values[2 * r + c])) }
        }
        // Measured: 6.8e-7 (trained LONG, all rows); PyTorch's own float32 is 3.9e-7 from float64.
        XCTAssertLessThan(worst, 3e-6, "\(name): max |Δ logit| vs PyTorch float64")
        XCTAssertGreaterThan(expected.values.map(abs).max()!, 0.1, "\(name): logits too small to say anything")
    }

    /// Every row for the trained LONG model; every 4th real row plus every extreme row otherwise.
    private let sample = Array(stride(from: 0, to: 512, by: 4)) + Array(512..<544)

    func testTrainedLongModel() throws {
        try check(model: "seed_trained_long_f19", inputs: "inputs_f19.npy", inputSize: 19, rows: Array(0..<544))
    }

    func testTrainedShortModelWithCrashFeatures() throws {
        try check(model: "seed_trained_short_f23", inputs: "inputs_f23.npy", inputSize: 23, rows: sample)
    }

    func testRandomInitModel() throws {
        try check(model: "seed_random_f19", inputs: "inputs_f19.npy", inputSize: 19, rows: sample)
    }

    /// Our initialiser's bounds against PyTorch's `manual_seed(0)` draws in the fixture: every
    /// uniform tensor reaches close to its bound and never past it; zero tensors are zero.
    func testInitialisationMatchesPyTorchDefaults() throws {
        let torch = try LstmFixtures.stateDict("seed_random_f19.safetensors")
        let layout = try ParameterLayout(.seed(inputSize: 19))
        XCTAssertEqual(Set(torch.keys), Set(layout.entries.map(\.name)))
        for e in layout.entries {
            let largest = Double(try XCTUnwrap(torch[e.name]).values.map(abs).max()!)
            switch e.initialiser {
            case .zeros: XCTAssertEqual(largest, 0, e.name)
            case .uniform(let bound):
                XCTAssertLessThanOrEqual(largest, bound * (1 + 1e-6), e.name)
                XCTAssertGreaterThan(largest, bound * (e.count > 100 ? 0.97 : 0.5), e.name)
            }
        }
        let ours = try SequenceModel(spec: .seed(inputSize: 19), seed: 1)
        let w = try XCTUnwrap(ours.tensor("attention.in_proj_weight"))
        XCTAssertEqual(Double(w.map(abs).max()!), (6.0 / 1024).squareRoot(), accuracy: 1e-3)
    }

    func testStrictLoadNamesTheTensor() throws {
        let model = try SequenceModel(spec: .seed(inputSize: 19))
        var dict = try LstmFixtures.stateDict("seed_random_f19.safetensors")
        dict["fc.3.bias"] = nil
        XCTAssertThrowsError(try model.load(stateDict: dict, source: "x.safetensors")) {
            XCTAssertTrue("\($0)".contains("missing tensor 'fc.3.bias'"), "\($0)")
        }
        let wrong = try SequenceModel(spec: .seed(inputSize: 23))
        XCTAssertThrowsError(try wrong.load(stateDict: try LstmFixtures.stateDict("seed_random_f19.safetensors"), source: "x")) {
            XCTAssertTrue("\($0)".contains("lstm.weight_ih_l0' has shape [512, 19], expected [512, 23]"), "\($0)")
        }
    }
}
