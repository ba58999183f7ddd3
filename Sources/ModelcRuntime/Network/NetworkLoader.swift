import CModelcSchema

/// Converts a protobuf-c `SequenceNetwork` into a `NetworkDefinition`, checking every layer's
/// shape against the previous layer's output, so a loaded network cannot index out of bounds.
enum NetworkLoader {
    static func load(_ net: Modelc__SequenceNetwork, component: String, model: LoadedModel) throws(ModelcError) -> NetworkDefinition {
        var context = Context(component: component, model: model)
        guard net.int8_compute == MODELC__INT8_COMPUTE__INT8_WEIGHT_ONLY || net.int8_compute == MODELC__INT8_COMPUTE__INT8_DYNAMIC else {
            throw ModelcError(.invalidModel, "component '\(component)': unknown int8 compute mode \(net.int8_compute.rawValue)")
        }
        context.dynamicInt8 = net.int8_compute == MODELC__INT8_COMPUTE__INT8_DYNAMIC
        let inputSize = Int(net.input_size), steps = Int(net.sequence_length)
        try limit(inputSize, ArtifactLimits.maxWidth, "component '\(component)': network input size")
        try limit(steps, ArtifactLimits.maxWindow, "component '\(component)': network sequence length")
        try limit(net.n_layers, ArtifactLimits.maxLayers, "component '\(component)': network layers")
        guard inputSize > 0, steps > 0 else {
            throw ModelcError(.invalidModel, "component '\(component)': network input \(steps) x \(inputSize) is empty")
        }
        var width = inputSize
        var isSequence = true
        var layers: [LayerDefinition] = []
        for i in 0..<net.n_layers {
            let layer = net.layers[i]!.pointee
            context.layer = try string(layer.name, "component '\(component)', layer \(i) name")
            switch layer.kind_case {
            case MODELC__LAYER__KIND_LSTM:
                guard isSequence else { throw context.error("an LSTM needs a sequence, the previous layer outputs a vector") }
                let l = try lstm(layer.lstm.pointee, input: width, context: context)
                width = l.outputSize
                layers.append(.lstm(l))
            case MODELC__LAYER__KIND_ATTENTION:
                guard isSequence else { throw context.error("attention needs a sequence, the previous layer outputs a vector") }
                let a = try attention(layer.attention.pointee, input: width, context: context)
                isSequence = !a.lastQueryOnly
                layers.append(.attention(a))
            case MODELC__LAYER__KIND_DENSE:
                let d = layer.dense.pointee
                guard Int(d.in_features) == width else {
                    throw context.error("dense layer takes \(d.in_features) inputs, the previous layer outputs \(width)")
                }
                let out = Int(d.out_features)
                try limit(out, ArtifactLimits.maxWidth, "component '\(component)', layer '\(context.layer)': dense outputs")
                let bias = d.bias == nil || d.bias[0] == 0 ? nil : try context.vector(d.bias, count: out)
                layers.append(.dense(DenseDefinition(weights: try context.matrix(d.weight, rows: out, cols: width), bias: bias)))
                width = out
            case MODELC__LAYER__KIND_ACTIVATION:
                guard let f = ActivationFunction(rawValue: layer.activation.rawValue) else {
                    throw context.error("unknown activation \(layer.activation.rawValue)")
                }
                layers.append(.activation(f))
            case MODELC__LAYER__KIND_POOLING:
                guard let p = PoolingMode(rawValue: layer.pooling.rawValue) else {
                    throw context.error("unknown pooling \(layer.pooling.rawValue)")
                }
                guard isSequence else { throw context.error("pooling needs a sequence, the previous layer outputs a vector") }
                isSequence = false
                layers.append(.pooling(p))
            default:
                throw context.error("layer has no (or an unknown) kind \(layer.kind_case.rawValue)")
            }
        }
        context.layer = "output"
        guard !isSequence else { throw context.error("the network ends in a sequence; add pooling or a last-query attention") }
        guard width == Int(net.output_size), width > 0 else {
            throw context.error("the last layer outputs \(width) values, the network declares \(net.output_size)")
        }
        guard Int(net.positive_class) < width else {
            throw context.error("positive class \(net.positive_class) is not one of the \(width) outputs")
        }
        return NetworkDefinition(inputSize: inputSize, sequenceLength: steps, outputSize: width,
                                 positiveClass: Int(net.positive_class), layers: layers)
    }

    private static func lstm(_ l: Modelc__LstmLayer, input: Int, context: Context) throws(ModelcError) -> LstmDefinition {
        let hidden = Int(l.hidden_size)
        guard hidden <= ArtifactLimits.maxWidth else {
            throw ModelcError(.limitExceeded, "component '\(context.component)', layer '\(context.layer)': LSTM hidden size \(hidden) exceeds the limit of \(ArtifactLimits.maxWidth)")
        }
        guard Int(l.input_size) == input, hidden > 0 else {
            throw context.error("LSTM takes \(l.input_size) inputs (hidden \(hidden)), the previous layer outputs \(input)")
        }
        guard l.gate_layout == MODELC__GATE_LAYOUT__GATES_BLOCKED_IFGO || l.gate_layout == MODELC__GATE_LAYOUT__GATES_INTERLEAVED_IFGO else {
            throw context.error("unknown gate layout \(l.gate_layout.rawValue)")
        }
        let interleaved = l.gate_layout == MODELC__GATE_LAYOUT__GATES_INTERLEAVED_IFGO
        // Gate rows are reordered once, here, into the order the LSTM kernel runs.
        let order = LstmKernel.rowOrder(hidden: hidden, storedInterleaved: interleaved)
        func direction(_ w: UnsafeMutablePointer<Modelc__LstmWeights>?, _ name: String) throws(ModelcError) -> LstmDirectionWeights {
            guard let w = w?.pointee else { throw context.error("LSTM has no \(name) weights") }
            return LstmDirectionWeights(
                inputWeights: try context.matrix(w.weight_ih, rows: 4 * hidden, cols: input, rowOrder: order, batched: true),
                recurrentWeights: try context.matrix(w.weight_hh, rows: 4 * hidden, cols: hidden, rowOrder: order),
                bias: try context.vector(w.bias, count: 4 * hidden, order: order))
        }
        let bidirectional = l.direction == MODELC__LSTM_DIRECTION__LSTM_BIDIRECTIONAL
        guard bidirectional || l.direction == MODELC__LSTM_DIRECTION__LSTM_UNIDIRECTIONAL else {
            throw context.error("unknown LSTM direction \(l.direction.rawValue)")
        }
        return LstmDefinition(inputSize: input, hiddenSize: hidden, forward: try direction(l.forward, "forward"),
                              reverse: bidirectional ? try direction(l.reverse, "reverse") : nil)
    }

    private static func attention(_ a: Modelc__AttentionLayer, input: Int, context: Context) throws(ModelcError) -> AttentionDefinition {
        let e = Int(a.embed_dim), heads = Int(a.num_heads)
        guard e == input, heads > 0, e % heads == 0 else {
            throw context.error("attention of width \(e) with \(heads) heads does not fit an input of \(input)")
        }
        let inProj = try context.tensor(a.in_proj_weight)
        guard inProj.shape.count == 2, inProj.shape[0] == 3 * e, inProj.shape[1] == e else {
            throw context.error("tensor '\(inProj.name)' has shape \(inProj.shapeText), expected [\(3 * e), \(e)]")
        }
        let inBias = try context.vector(a.in_proj_bias, count: 3 * e)
        let parts = inProj.splitRows(3)
        guard a.query == MODELC__ATTENTION_QUERY__QUERY_ALL_STEPS || a.query == MODELC__ATTENTION_QUERY__QUERY_LAST_STEP else {
            throw context.error("unknown attention query mode \(a.query.rawValue)")
        }
        let dh = e / heads
        var keys: [WeightMatrix] = [], values: [WeightMatrix] = []
        for (h, valueRows) in parts[2].splitRows(heads).enumerated() {
            keys.append(try context.matrix(parts[1].transposed(rows: (h * dh)..<((h + 1) * dh)), rows: e, cols: dh))
            values.append(try context.matrix(valueRows, rows: dh, cols: e))
        }
        return AttentionDefinition(
            embedDim: e, heads: heads, lastQueryOnly: a.query == MODELC__ATTENTION_QUERY__QUERY_LAST_STEP,
            query: try context.matrix(parts[0], rows: e, cols: e), keyTransposed: keys,
            keyScale: parts[1].dtype == .int8 ? parts[1].scales : [Float](repeating: 1, count: e),
            valueHeads: values, output: try context.matrix(a.out_proj_weight, rows: e, cols: e),
            queryBias: Array(inBias[0..<e]), valueBias: Array(inBias[(2 * e)...]),
            outputBias: try context.vector(a.out_proj_bias, count: e))
    }

    /// Resolves tensor names for one layer and names the layer in every error.
    private struct Context {
        let component: String
        let model: LoadedModel
        var layer = ""
        var dynamicInt8 = false

        func error(_ message: String) -> ModelcError {
            ModelcError(.invalidModel, "component '\(component)', layer '\(layer)': \(message)")
        }

        func tensor(_ name: UnsafeMutablePointer<CChar>?) throws(ModelcError) -> TensorData {
            let n = try string(name, "component '\(component)', layer '\(layer)': tensor name")
            guard let t = model.tensor(named: n) else { throw error("tensor '\(n)' is missing") }
            return t
        }

        /// `rowOrder[r]` is the stored row that becomes row `r`.
        /// `batched`: the LSTM input weights, applied to every step in one call.
        func matrix(_ name: UnsafeMutablePointer<CChar>?, rows: Int, cols: Int, rowOrder: [Int]? = nil,
                    batched: Bool = false) throws(ModelcError) -> WeightMatrix {
            var t = try tensor(name)
            if let rowOrder, t.shape.count == 2, t.shape[0] == rows { t = t.reorderedRows(rowOrder) }
            return try matrix(t, rows: rows, cols: cols, batched: batched)
        }

        func matrix(_ t: TensorData, rows: Int, cols: Int, batched: Bool = false) throws(ModelcError) -> WeightMatrix {
            do {
                return try WeightMatrix(t, rows: rows, cols: cols, dynamicInt8: dynamicInt8, batched: batched)
            } catch {
                throw self.error(error.message)
            }
        }

        func vector(_ name: UnsafeMutablePointer<CChar>?, count: Int, order: [Int]? = nil) throws(ModelcError) -> [Float] {
            let t = try tensor(name)
            guard t.elementCount == count, t.shape.count == 1 else {
                throw error("tensor '\(t.name)' has shape \(t.shapeText), expected [\(count)]")
            }
            let values = t.floatValues()
            return order.map { $0.map { values[$0] } } ?? values
        }
    }
}

extension TensorData {
    /// Splits a 2-D tensor into `parts` tensors of equal row counts (the stacked q, k, v).
    func splitRows(_ parts: Int) -> [TensorData] {
        let rowsPerPart = shape[0] / parts
        return (0..<parts).map { p in reorderedRows(Array((p * rowsPerPart)..<((p + 1) * rowsPerPart))) }
    }

    /// The transpose of the 2-D block of `rows` (int8: the values alone, every scale 1; the block's
    /// scales are then the caller's to apply).
    func transposed(rows: Range<Int>) -> TensorData {
        let cols = shape[1], width = dtype.byteWidth
        let bytes = [UInt8](unsafeUninitializedCapacity: rows.count * cols * width) { out, count in
            data.withUnsafeBufferPointer { src in
                var at = 0
                for c in 0..<cols {
                    for r in rows {
                        for b in 0..<width { out[at + b] = src[(r * cols + c) * width + b] }
                        at += width
                    }
                }
            }
            count = rows.count * cols * width
        }
        return TensorData(checked: name, dtype: dtype, shape: [cols, rows.count], data: bytes,
                          scales: dtype == .int8 ? [Float](repeating: 1, count: cols) : [])
    }

    /// A 2-D tensor made of the rows `order[0]`, `order[1]`, … of this one.
    func reorderedRows(_ order: [Int]) -> TensorData {
        let bytesPerRow = shape[1] * dtype.byteWidth
        let bytes = [UInt8](unsafeUninitializedCapacity: order.count * bytesPerRow) { out, count in
            data.withUnsafeBytes { src in
                for (i, r) in order.enumerated() {
                    UnsafeMutableRawPointer(out.baseAddress! + i * bytesPerRow)
                        .copyMemory(from: src.baseAddress! + r * bytesPerRow, byteCount: bytesPerRow)
                }
            }
            count = order.count * bytesPerRow
        }
        return TensorData(checked: name, dtype: dtype, shape: [order.count, shape[1]], data: bytes,
                          scales: dtype == .int8 ? order.map { scales[$0] } : [])
    }
}
