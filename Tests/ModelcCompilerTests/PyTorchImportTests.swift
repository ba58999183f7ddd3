import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import XCTest

/// The imported seed networks reproduce PyTorch's own outputs (fixtures made by PyTorch 2.x).
final class PyTorchImportTests: XCTestCase {
    func testLogitsMatchPyTorch() throws {
        for c in SeedFixtures.cases {
            let loaded = try SeedFixtures.load(try SeedFixtures.importModel(c))
            let component = try XCTUnwrap(loaded.components.first)
            guard case .network(let net) = try XCTUnwrap(component.members.first).kind else { return XCTFail("not a network") }
            let windows = try SeedFixtures.windows(c)
            let f32 = try SeedFixtures.reference(c, "logits_f32"), f64 = try SeedFixtures.reference(c, "logits_f64")
            let probs = try SeedFixtures.reference(c, "probs_f64")
            var worst32 = 0.0, worst64 = 0.0, worstP = 0.0
            for row in SeedFixtures.sampleRows(stride: 8) {
                let logits = try NetworkRunner.logits(net, window: windows[row])
                for j in 0..<2 {
                    worst32 = max(worst32, abs(Double(logits[j]) - f32[row][j]))
                    worst64 = max(worst64, abs(Double(logits[j]) - f64[row][j]))
                }
                worstP = max(worstP, abs(try component.probability(window: windows[row].map(Double.init)) - probs[row][1]))
            }
            XCTAssertLessThan(worst32, 1e-5, "\(c.weights): max |logit - PyTorch f32|")
            XCTAssertLessThan(worst64, 1e-5, "\(c.weights): max |logit - PyTorch f64|")
            XCTAssertLessThan(worstP, 1e-6, "\(c.weights): max |p - PyTorch f64 softmax|")
        }
    }

    /// PyTorch adds b_ih and b_hh; the importer sums them once.
    func testBiasesAreSummed() throws {
        let c = SeedFixtures.cases[1]
        let weights = try Safetensors(path: SeedFixtures.path("\(c.weights).safetensors"))
        let model = try SeedFixtures.importModel(c)
        let bias = try XCTUnwrap(model.tensors.first { $0.name == "long/lstm.bias_l1_reverse" }).f32Values()
        let bih = try weights.tensor("lstm.bias_ih_l1_reverse", shape: [512])
        let bhh = try weights.tensor("lstm.bias_hh_l1_reverse", shape: [512])
        XCTAssertEqual(bias, zip(bih, bhh).map { $0 + $1 })
    }

    func testArchitectureErrorsNameTheKey() {
        let cases: [(String, String)] = [
            ("name: x\nsequence_length: 4\nlayers: [relu]\ncolour: red\n", "unknown key 'colour'"),
            ("sequence_length: 4\nlayers: [dropout]\n", "layers[0]: dropout is the identity"),
            ("sequence_length: 0\nlayers: [relu]\n", "sequence_length must be a positive integer"),
            ("sequence_length: 4\nrole: sideways\nlayers: [relu]\n", "role 'sideways'"),
            ("sequence_length: 4\nlayers:\n  - lstm: {hidden: 3}\n", "layers[0]: unknown key 'hidden'"),
        ]
        for (yaml, expected) in cases {
            XCTAssertThrowsError(try PyTorchArchitecture(yaml: yaml, file: "a.yaml")) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error) should contain \(expected)")
                XCTAssertTrue("\(error)".hasPrefix("a.yaml: "))
            }
        }
    }

    func testMissingWeightIsNamed() throws {
        let arch = try PyTorchArchitecture(yaml: "sequence_length: 4\nlayers:\n  - linear: head\n", file: "a.yaml")
        let weights = try Safetensors(path: SeedFixtures.path("seed_random_f19.safetensors"))
        XCTAssertThrowsError(try PyTorchImporter.importModel(architecture: arch, weights: weights)) { error in
            XCTAssertTrue("\(error)".contains("head.weight"), "\(error)")
        }
    }
}

/// Quantised seed networks against their f32 compile on real windows: the bar is
/// decision agreement of at least 99.5 %.
final class QuantizationFidelityTests: XCTestCase {
    func testInt8DecisionsAgreeWithF32() throws {
        let c = SeedFixtures.cases[1]
        let model = try SeedFixtures.importModel(c)
        let windows = try SeedFixtures.windows(c)
        let real = stride(from: 0, to: 512, by: 4).map { windows[$0].map(Double.init) }
        let reference = try PassPipeline.run(model, precision: .f32).0
        for precision in [WeightPrecision.int8, .int8Dynamic] {
            let f = try Fidelity.measure(reference: reference, candidate: try PassPipeline.run(model, precision: precision).0,
                                         component: "long", precision: precision.rawValue, windows: real)
            XCTAssertEqual(f.samples, 128)
            XCTAssertGreaterThanOrEqual(f.decisionAgreement, 0.995, precision.rawValue)
            XCTAssertLessThan(f.maxAbsDelta, 0.02, precision.rawValue)
            XCTAssertGreaterThan(f.maxAbsDelta, 0, "\(precision.rawValue) must differ from f32 somewhere")
        }
    }
}
