import ArgumentParser
import ModelcCompiler
import ModelcFiles
import ModelcFormat

/// Scores rows (trees) or windows (networks) from a `.npy` file with an artifact's component.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Score the rows of a .npy array with an artifact's component; write the scores as .npy.",
        discussion: """
            Trees: a 2-D float32 or float64 array in C order, one row per sample, one column per feature the \
            component reads (numpy.save writes this); output float64, shape (N) for margin or probability, \
            (N, 2) for both (columns margin, probability). Networks: windows shaped (N, steps, inputs) of the \
            values the component reads (its scaler is applied unless it was folded); output float64 (N) probabilities.
            """
    )

    @Argument(help: "The .modelc artifact.")
    var artifact: String

    @Option(help: "The rows to score (.npy).")
    var input: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Where to write the scores (.npy).")
    var path: String

    @Option(help: "What to write: margin, probability or both.")
    var kind: TreePrediction.Output = .probability

    @Option(help: "The component to use (default: the artifact's only one, or its only tree component).")
    var component: String?

    func run() throws {
        let model = try Artifact(path: artifact)
        if let network = NetworkPrediction.component(model.loaded, named: component) {
            guard kind == .probability else {
                throw ImportError(artifact, "component '\(network.name)' is a network: it gives probabilities (use --kind probability)")
            }
            let scores = try NetworkPrediction.predict(network, input: try NpyArray(path: input), inputFile: input)
            try AtomicFile.write(scores.encoded(), to: path)
            print("wrote \(path): \(NpyArray.describe(scores.shape)) float64 probability from component '\(network.name)'")
            return
        }
        let chosen = try TreePrediction.component(model.loaded, named: component, file: artifact)
        let rows = try NpyArray(path: input)
        let start = ContinuousClock.now
        let scores = try TreePrediction.predict(chosen, input: rows, inputFile: input, output: kind)
        let elapsed = ContinuousClock.now - start
        try AtomicFile.write(scores.encoded(), to: path)
        let n = max(rows.shape.first ?? 0, 1)
        let ns = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) / 1e9
        print("wrote \(path): \(NpyArray.describe(scores.shape)) float64 \(kind.rawValue) from component '\(chosen.name)'"
              + " (scored in \(Int(ns / 1e6)) ms, \(Int(ns / Double(n))) ns/row)")
    }
}

extension TreePrediction.Output: ExpressibleByArgument {}
