import Foundation
import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import ModelcTestSupport

/// The PyTorch seed-network fixtures in ../shared/fixtures/lstm (README there), made by PyTorch.
enum SeedFixtures {
    static let dir = RepositoryPaths.shared("fixtures/lstm")

    struct Case {
        var weights: String
        var arch: String
        var inputs: String
        var features: Int
    }

    static let cases = [
        Case(weights: "seed_random_f19", arch: "seed-long.yaml", inputs: "inputs_f19.npy", features: 19),
        Case(weights: "seed_trained_long_f19", arch: "seed-long.yaml", inputs: "inputs_f19.npy", features: 19),
        Case(weights: "seed_trained_short_f23", arch: "seed-short.yaml", inputs: "inputs_f23.npy", features: 23),
    ]

    static func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func importModel(_ c: Case) throws -> Modelc_Model {
        let archPath = RepositoryPaths.root.appendingPathComponent("Models/pytorch/\(c.arch)").path
        let arch = try PyTorchArchitecture(yaml: try String(contentsOfFile: archPath, encoding: .utf8), file: archPath)
        return try PyTorchImporter.importModel(architecture: arch, weights: try Safetensors(path: path("\(c.weights).safetensors")))
    }

    /// Row `i` of a (rows, 64, features) input file as f32.
    static func windows(_ c: Case) throws -> [[Float]] {
        let npy = try NpyArray(path: path(c.inputs))
        let values = npy.doubles().map(Float.init)
        let size = npy.shape[1] * npy.shape[2]
        return (0..<npy.shape[0]).map { Array(values[($0 * size)..<(($0 + 1) * size)]) }
    }

    /// PyTorch's (rows, 2) outputs for a model, e.g. suffix "logits_f32".
    static func reference(_ c: Case, _ suffix: String) throws -> [[Double]] {
        let d = try NpyArray(path: path("\(c.weights)_\(suffix).npy")).doubles()
        return stride(from: 0, to: d.count, by: 2).map { [d[$0], d[$0 + 1]] }
    }

    /// Rows to score in a debug-build test: every `stride`-th real row and every extreme row.
    static func sampleRows(stride: Int) -> [Int] {
        Array(Swift.stride(from: 0, to: 512, by: stride)) + Array(512..<544)
    }

    static func load(_ model: Modelc_Model) throws -> LoadedModel {
        try ModelLoader.load(try ArtifactWriter.encode(model))
    }
}
