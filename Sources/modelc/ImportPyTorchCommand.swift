import ArgumentParser
import Foundation
import ModelcCompiler
import ModelcFiles
import ModelcFormat

/// `modelc import pytorch`: a PyTorch sequence model (architecture YAML + safetensors) -> artifact.
struct ImportPyTorchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pytorch",
        abstract: "Compile a PyTorch BiLSTM/attention/linear model (safetensors weights) into an artifact.",
        discussion: "The architecture YAML maps state_dict names onto layers; see Models/pytorch/seed-long.yaml."
    )

    @Option(help: "Architecture YAML.")
    var arch: String

    @Argument(help: "Weights in safetensors format, with PyTorch state_dict names.")
    var weights: String

    @Option(name: .shortAndLong, help: "Where to write the artifact.")
    var output: String

    @Option(help: "Weight precision: f32, f16, int8 (weight-only) or int8-dynamic.")
    var precision: WeightPrecision = .f32

    @Option(help: "Standardisation the network was trained with: a YAML file {mean: [...], std: [...]}. With it the artifact reads raw features (the scaler is folded into the first layer).")
    var scaler: String?

    @Option(help: "Real input windows (.npy, N x steps x features, as the component reads them) to measure the chosen precision against f32 on; the result goes into the model card.")
    var calibration: String?

    func run() throws {
        let text = try read(arch)
        var architecture = try PyTorchArchitecture(yaml: text, file: arch)
        if let scaler { try architecture.standardisation(yaml: try read(scaler), file: scaler) }
        let imported = try PyTorchImporter.importModel(architecture: architecture, weights: try Safetensors(path: weights))
        var (model, log) = try PassPipeline.run(imported, precision: precision)
        if let calibration, precision != .f32 {
            let npy = try NpyArray(path: calibration)
            let size = architecture.sequenceLength * architecture.features.count
            guard npy.shape.count == 3, npy.shape[1] * npy.shape[2] == size else {
                throw ImportError(calibration, "expected windows of shape (N, \(architecture.sequenceLength), \(architecture.features.count)), found \(NpyArray.describe(npy.shape))")
            }
            let values = npy.doubles()
            let windows = (0..<npy.shape[0]).map { Array(values[($0 * size)..<(($0 + 1) * size)]) }
            let reference = try PassPipeline.run(imported, precision: .f32).0
            let f = try Fidelity.measure(reference: reference, candidate: model, component: model.components[0].name,
                                         precision: precision.rawValue, windows: windows)
            model.card.fidelity.append(f)
            print(String(format: "fidelity vs f32 on %d windows: max |dp| %.3g, p99 |dp| %.3g, decision agreement %.2f %%",
                         f.samples, f.maxAbsDelta, f.p99AbsDelta, 100 * f.decisionAgreement))
        }
        for (pass, changes) in log where !changes.isEmpty {
            print("\(pass): \(changes.count == 1 ? changes[0] : "\(changes.count) changes")")
        }
        let bytes = try ArtifactWriter.encode(model)
        try AtomicFile.write(bytes, to: output)
        print("wrote \(output) (\(bytes.count) bytes)")
    }
}

private func read(_ path: String) throws -> String {
    do {
        return try String(contentsOfFile: path, encoding: .utf8)
    } catch {
        throw ImportError(path, "cannot read: \((error as NSError).localizedDescription)")
    }
}

extension WeightPrecision: ExpressibleByArgument {}
