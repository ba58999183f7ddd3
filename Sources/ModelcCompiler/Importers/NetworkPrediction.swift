import ModelcFormat
import ModelcRuntime

/// Scores windows from a `.npy` array with an artifact's network component: `modelc predict`
/// for networks, so any tool can check parity with the library a network came from.
public enum NetworkPrediction {
    /// The network component `name`; with no name, the only component when it is a network.
    /// Nil when the choice is a tree component (or ambiguous): tree prediction takes over.
    public static func component(_ model: LoadedModel, named name: String?) -> ComponentDefinition? {
        let networks = model.components.filter { !$0.isTreeComponent }
        if let name { return networks.first { $0.name == name } }
        return model.components.count == 1 ? networks.first : nil
    }

    /// Probabilities (N) for a float32 or float64 array of N windows, shaped (N, steps, inputs)
    /// or (N, steps × inputs), in C order.
    public static func predict(_ c: ComponentDefinition, input: NpyArray, inputFile: String) throws(ImportError) -> NpyArray {
        let size = c.window * c.inputFeatures.count
        let shapeOK = (input.shape.count == 3 && input.shape[1] == c.window && input.shape[2] == c.inputFeatures.count)
            || (input.shape.count == 2 && input.shape[1] == size)
        guard input.dtype == .float32 || input.dtype == .float64, shapeOK else {
            throw ImportError(inputFile,
                "expected a float32 or float64 array of shape (N, \(c.window), \(c.inputFeatures.count)) in C order, found \(input.dtype.rawValue) of shape \(NpyArray.describe(input.shape))")
        }
        let values = input.doubles()
        var out: [Double] = []
        out.reserveCapacity(input.shape[0])
        for n in 0..<input.shape[0] {
            do {
                out.append(try c.probability(window: Array(values[(n * size)..<((n + 1) * size)])))
            } catch {
                throw ImportError(inputFile, "window \(n): \(error.message)")
            }
        }
        return NpyArray(float64: out, shape: [out.count])
    }
}
