import ModelcRuntime

/// The architecture of a trainable sequence network: the format's closed set of layers (Spec.md
/// §4.4) plus dropout, which exists only while training. Parameter names follow the PyTorch
/// modules the layers stand for, so exported weights load into the same `nn.Module` and the
/// safetensors importer compiles them.
public struct NetworkSpec: Codable, Sendable, Equatable {
    public enum Activation: String, Codable, Sendable {
        case relu, tanh, sigmoid, softmax
    }

    public enum Pooling: String, Codable, Sendable {
        case lastStep = "last_step", mean
    }

    public enum Layer: Codable, Sendable, Equatable {
        /// `nn.LSTM(batch_first=True)`: `numLayers` stacked layers, dropout between them (train only).
        case lstm(module: String, hiddenSize: Int, numLayers: Int, bidirectional: Bool, dropout: Double)
        /// `nn.MultiheadAttention` with query = key = value. `lastQueryOnly` computes the output of
        /// the last step alone (what `a[:, -1, :]` reads) and yields a vector.
        case attention(module: String, heads: Int, lastQueryOnly: Bool)
        /// `nn.Linear(in, outputs)`, per step when applied to a sequence.
        case dense(module: String, outputs: Int, bias: Bool)
        case activation(Activation)
        /// `nn.Dropout(p)`: zeroes with probability p and scales the rest by 1/(1−p); identity in eval.
        case dropout(Double)
        case pooling(Pooling)
    }

    /// Features per timestep.
    public var inputSize: Int
    /// Timesteps per window, oldest first.
    public var sequenceLength: Int
    public var layers: [Layer]

    public init(inputSize: Int, sequenceLength: Int, layers: [Layer]) {
        self.inputSize = inputSize
        self.sequenceLength = sequenceLength
        self.layers = layers
    }

    /// The seed network of the literature: BiLSTM 2 × `hidden` (dropout 0.3), 4-head self-attention
    /// read at the last step, Linear 2H → 64, ReLU, dropout 0.3, Linear 64 → 2 (`fc.0`, `fc.3`).
    public static func seed(inputSize: Int = 19, sequenceLength: Int = 64, hidden: Int = 128, heads: Int = 4,
                            fcHidden: Int = 64, dropout: Double = 0.3) -> NetworkSpec {
        NetworkSpec(inputSize: inputSize, sequenceLength: sequenceLength, layers: [
            .lstm(module: "lstm", hiddenSize: hidden, numLayers: 2, bidirectional: true, dropout: dropout),
            .attention(module: "attention", heads: heads, lastQueryOnly: true),
            .dense(module: "fc.0", outputs: fcHidden, bias: true),
            .activation(.relu),
            .dropout(dropout),
            .dense(module: "fc.3", outputs: 2, bias: true),
        ])
    }

    /// Walks the layers, checking each against the previous one's output; returns the number of
    /// outputs (classes). Errors name the layer.
    @discardableResult
    public func validate() throws(ModelcError) -> Int {
        func fail(_ i: Int, _ message: String) -> ModelcError {
            ModelcError(.invalidArgument, "network layer \(i): \(message)")
        }
        guard inputSize > 0, sequenceLength > 0 else {
            throw ModelcError(.invalidArgument, "network input \(sequenceLength) x \(inputSize) is empty")
        }
        var width = inputSize, isSequence = true
        var modules: [String] = []
        func claim(_ i: Int, _ module: String) throws(ModelcError) {
            guard !module.isEmpty, !modules.contains(module) else { throw fail(i, "module name '\(module)' is empty or used twice") }
            modules.append(module)
        }
        for (i, layer) in layers.enumerated() {
            switch layer {
            case .lstm(let module, let hidden, let count, let bidirectional, let p):
                guard isSequence else { throw fail(i, "an LSTM needs a sequence, the previous layer outputs a vector") }
                guard hidden > 0, count > 0 else { throw fail(i, "LSTM hidden size \(hidden) and layer count \(count) must be positive") }
                guard p >= 0, p < 1 else { throw fail(i, "LSTM dropout \(p) is not in [0, 1)") }
                try claim(i, module)
                width = bidirectional ? 2 * hidden : hidden
            case .attention(let module, let heads, let lastQueryOnly):
                guard isSequence else { throw fail(i, "attention needs a sequence, the previous layer outputs a vector") }
                guard heads > 0, width % heads == 0 else { throw fail(i, "attention: \(width) is not divisible by \(heads) heads") }
                try claim(i, module)
                isSequence = !lastQueryOnly
            case .dense(let module, let outputs, _):
                guard outputs > 0 else { throw fail(i, "dense outputs \(outputs) must be positive") }
                try claim(i, module)
                width = outputs
            case .activation:
                break
            case .dropout(let p):
                guard p >= 0, p < 1 else { throw fail(i, "dropout \(p) is not in [0, 1)") }
            case .pooling:
                guard isSequence else { throw fail(i, "pooling needs a sequence, the previous layer outputs a vector") }
                isSequence = false
            }
        }
        guard !isSequence else {
            throw ModelcError(.invalidArgument, "network ends in a sequence: add pooling or a last-query attention")
        }
        guard width >= 2 else { throw ModelcError(.invalidArgument, "network outputs \(width) logits; a classifier needs at least 2") }
        return width
    }
}
