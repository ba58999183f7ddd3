import ModelcFormat
import ModelcRuntime

/// Scores the rows of a `.npy` array with an artifact's tree component: what `modelc predict`
/// does between reading its input and writing its output (the CLI and the tests share it).
public enum TreePrediction {
    public enum Output: String, CaseIterable, Sendable {
        /// (N) float64: the component's margin.
        case margin
        /// (N) float64: the component's probability.
        case probability
        /// (N, 2) float64: margin, probability.
        case both
    }

    /// The tree component `name`, or the only tree component when `name` is nil.
    public static func component(_ model: LoadedModel, named name: String?, file: String) throws(ImportError) -> ComponentDefinition {
        let trees = model.components.filter(\.isTreeComponent)
        if let name {
            guard let c = trees.first(where: { $0.name == name }) else {
                throw ImportError(file, "no tree component named '\(name)' (tree components: \(trees.map(\.name).joined(separator: ", ")))")
            }
            return c
        }
        guard trees.count == 1 else {
            throw ImportError(file, trees.isEmpty ? "the artifact has no tree component"
                : "the artifact has \(trees.count) tree components (\(trees.map(\.name).joined(separator: ", "))): choose one")
        }
        return trees[0]
    }

    /// Scores every row of `input` (a 2-D float32 or float64 array, one row per sample, as many
    /// columns as the component reads). `inputFile` names the input in errors.
    public static func predict(_ component: ComponentDefinition, input: NpyArray, inputFile: String,
                               output: Output) throws(ImportError) -> NpyArray {
        let width = component.inputCount
        guard input.dtype == .float32 || input.dtype == .float64, input.shape.count == 2, input.shape[1] == width else {
            throw ImportError(inputFile,
                "expected a 2-D float32 or float64 array of shape (N, \(width)) in C order, found \(input.dtype.rawValue) of shape \(NpyArray.describe(input.shape))")
        }
        if output != .probability && component.combine == .meanProbability && component.memberTrees.count > 1 {
            throw ImportError(inputFile,
                "component '\(component.name)' averages member probabilities; it has no single margin (use --kind probability)")
        }
        let rows = input.doubles()
        let scores: [TreeScore]
        do {
            scores = try rows.withUnsafeBufferPointer { (buf) throws(ModelcError) in
                try component.scoreTrees(rows: buf, rowCount: input.shape[0])
            }
        } catch {
            throw ImportError(inputFile, error.message)
        }
        switch output {
        case .margin: return NpyArray(float64: scores.map(\.margin), shape: [scores.count])
        case .probability: return NpyArray(float64: scores.map(\.probability), shape: [scores.count])
        case .both: return NpyArray(float64: scores.flatMap { [$0.margin, $0.probability] }, shape: [scores.count, 2])
        }
    }
}
