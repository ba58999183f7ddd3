import ArgumentParser
import Foundation
import ModelcCompiler
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

    func run() throws {
        let text = try read(arch)
        var architecture = try PyTorchArchitecture(yaml: text, file: arch)
        if let scaler { try architecture.standardisation(yaml: try read(scaler), file: scaler) }
        let imported = try PyTorchImporter.importModel(architecture: architecture, weights: try Safetensors(path: weights))
        let (model, log) = try PassPipeline.run(imported, precision: precision)
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
