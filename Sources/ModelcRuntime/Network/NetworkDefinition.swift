/// A sequence network ready to run: layers in order with their weights resolved and checked
/// against each other's shapes at load (Spec.md, "Sequence networks").
public struct NetworkDefinition: Sendable {
    public var inputSize: Int
    public var sequenceLength: Int
    public var outputSize: Int
    public var positiveClass: Int
    public var layers: [LayerDefinition]
}

public enum LayerDefinition: Sendable {
    case lstm(LstmDefinition)
    case attention(AttentionDefinition)
    case dense(DenseDefinition)
    case activation(ActivationFunction)
    case pooling(PoolingMode)
}

/// One direction of an LSTM layer: gate rows in PyTorch's blocked order [i; f; g; o].
public struct LstmDirectionWeights: Sendable {
    public var inputWeights: WeightMatrix     // [4H, input]
    public var recurrentWeights: WeightMatrix // [4H, H]
    public var bias: [Float]                  // [4H], b_ih + b_hh
}

public struct LstmDefinition: Sendable {
    public var inputSize: Int
    public var hiddenSize: Int
    public var forward: LstmDirectionWeights
    public var reverse: LstmDirectionWeights?
    public var outputSize: Int { reverse == nil ? hiddenSize : 2 * hiddenSize }
}

/// Multi-head self-attention, with the key and value projections regrouped per head so that the
/// kernel never projects every step (Spec.md §7.2, "Attention"). The key bias is not kept: it
/// adds the same amount to every score of a query and head, which the softmax removes.
public struct AttentionDefinition: Sendable {
    public var embedDim: Int
    public var heads: Int
    public var lastQueryOnly: Bool
    public var query: WeightMatrix
    /// Per head: its key rows transposed (`E × E/h`).
    public var keyTransposed: [WeightMatrix]
    /// Per key row: the int8 scale (1 for float weights), applied to the query first.
    public var keyScale: [Float]
    /// Per head: its value rows (`E/h × E`).
    public var valueHeads: [WeightMatrix]
    public var output: WeightMatrix
    public var queryBias: [Float], valueBias: [Float], outputBias: [Float]
}

public struct DenseDefinition: Sendable {
    public var weights: WeightMatrix
    public var bias: [Float]?
}

public enum ActivationFunction: UInt32, Sendable {
    case relu = 1, tanh, sigmoid, softmax
}

public enum PoolingMode: UInt32, Sendable {
    case lastStep = 0, mean
}
