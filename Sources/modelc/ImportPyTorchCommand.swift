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

    @Option(help: "Weight precision: f32, f16 or int8.")
    var precision: WeightPrecision = .f32

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: arch, encoding: .utf8)
        } catch {
            throw ImportError(arch, "cannot read: \((error as NSError).localizedDescription)")
        }
        let architecture = try PyTorchArchitecture(yaml: text, file: arch)
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

extension WeightPrecision: ExpressibleByArgument {}
