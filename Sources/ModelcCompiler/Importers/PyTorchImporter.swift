import Foundation
import ModelcFormat
import ModelcRuntime

/// Imports a PyTorch sequence model (an architecture YAML plus safetensors weights with
/// nn.LSTM / nn.MultiheadAttention / nn.Linear state_dict names) as one artifact component.
/// The four LSTM gate matrices stay fused as PyTorch stacks them ([i; f; g; o]) and the two
/// biases are summed here, once, so the runtime adds one bias per gate.
public enum PyTorchImporter {
    /// A model with one component named after the role, holding the imported network.
    public static func importModel(architecture: PyTorchArchitecture, weights: Safetensors) throws -> Modelc_Model {
        var model = Modelc_Model()
        model.info.name = architecture.name
        model.info.version = architecture.version
        model.info.producer = "modelc"
        model.info.producerVersion = ModelcVersion.string
        model.info.metadata = ["source": "pytorch", "weights": URL(fileURLWithPath: weights.path).lastPathComponent]
        model.features.intervalSeconds = 3600
        model.features.warmup = UInt32(FeatureCatalog.defaultWarmup)
        model.features.features = architecture.features.map(Modelc_Feature.init)
        let componentName = architecture.role == .roleShort ? "short" : architecture.role == .roleDirection ? "direction" : "long"
        var builder = NetworkBuilder(weights: weights, prefix: "\(componentName)/", inputSize: architecture.features.count)
        for layer in architecture.layers { try builder.add(layer) }
        var network = Modelc_SequenceNetwork()
        network.inputSize = UInt32(architecture.features.count)
        network.sequenceLength = UInt32(architecture.sequenceLength)
        network.layers = builder.layers
        network.outputSize = UInt32(builder.width)
        network.positiveClass = UInt32(architecture.positiveClass)
        guard architecture.positiveClass < builder.width else {
            throw ImportError(weights.path, "positive_class \(architecture.positiveClass) is not one of the \(builder.width) outputs")
        }
        var component = Modelc_Component()
        component.name = componentName
        component.role = architecture.role
        component.input.features = (0..<UInt32(architecture.features.count)).map { $0 }
        component.input.window = UInt32(architecture.sequenceLength)
        if let (mean, std) = architecture.standardisation {
            component.input.scaler.kind = .scalerStandard
            component.input.scaler.shift = mean.map { Float($0) }
            component.input.scaler.scale = std.map { Float(1 / $0) }
        }
        var member = Modelc_Member()
        member.weight = 1
        member.network = network
        component.members = [member]
        model.components = [component]
        model.tensors = builder.tensors
        return model
    }

    /// Accumulates format layers and tensors while walking the architecture.
    private struct NetworkBuilder {
        let weights: Safetensors
        let prefix: String
        var width: Int
        var layers: [Modelc_Layer] = []
        var tensors: [Modelc_Tensor] = []

        init(weights: Safetensors, prefix: String, inputSize: Int) {
            self.weights = weights
            self.prefix = prefix
            width = inputSize
        }

        /// Copies a safetensors tensor into the artifact under the component prefix.
        mutating func copy(_ name: String, shape: [Int]) throws -> String {
            tensors.append(Modelc_Tensor(name: prefix + name, shape: shape, f32: try weights.tensor(name, shape: shape)))
            return prefix + name
        }

        mutating func add(_ layer: PyTorchArchitecture.Layer) throws {
            switch layer {
            case .lstm(let module, let hidden, let count, let bidirectional):
                for k in 0..<count {
                    var l = Modelc_LstmLayer()
                    l.inputSize = UInt32(width)
                    l.hiddenSize = UInt32(hidden)
                    l.direction = bidirectional ? .lstmBidirectional : .lstmUnidirectional
                    l.gateLayout = .gatesBlockedIfgo
                    l.forward = try direction(module, k, suffix: "", hidden: hidden)
                    if bidirectional { l.reverse = try direction(module, k, suffix: "_reverse", hidden: hidden) }
                    layers.append(.with { $0.name = "\(module).l\(k)"; $0.lstm = l })
                    width = bidirectional ? 2 * hidden : hidden
                }
            case .attention(let module, let heads):
                guard width % heads == 0 else { throw ImportError(weights.path, "attention: \(width) is not divisible by \(heads) heads") }
                var a = Modelc_AttentionLayer()
                a.embedDim = UInt32(width)
                a.numHeads = UInt32(heads)
                a.query = .queryAllSteps
                a.inProjWeight = try copy("\(module).in_proj_weight", shape: [3 * width, width])
                a.inProjBias = try copy("\(module).in_proj_bias", shape: [3 * width])
                a.outProjWeight = try copy("\(module).out_proj.weight", shape: [width, width])
                a.outProjBias = try copy("\(module).out_proj.bias", shape: [width])
                layers.append(.with { $0.name = module; $0.attention = a })
            case .linear(let module):
                guard let w = weights.tensors["\(module).weight"], w.shape.count == 2, w.shape[1] == width else {
                    throw ImportError(weights.path, "linear '\(module)': needs '\(module).weight' of shape [out, \(width)]")
                }
                var d = Modelc_DenseLayer()
                d.inFeatures = UInt32(width)
                d.outFeatures = UInt32(w.shape[0])
                d.weight = try copy("\(module).weight", shape: w.shape)
                if weights.tensors["\(module).bias"] != nil { d.bias = try copy("\(module).bias", shape: [w.shape[0]]) }
                layers.append(.with { $0.name = module; $0.dense = d })
                width = w.shape[0]
            case .activation(let name):
                let kind: Modelc_ActivationKind = name == "relu" ? .activationRelu : name == "tanh" ? .activationTanh : .activationSigmoid
                layers.append(.with { $0.name = name; $0.activation = kind })
            case .pooling(let name):
                layers.append(.with { $0.name = name; $0.pooling = name == "mean" ? .poolingMean : .poolingLastStep })
            }
        }

        private mutating func direction(_ module: String, _ k: Int, suffix: String, hidden: Int) throws -> Modelc_LstmWeights {
            let base = "\(module).", tag = "_l\(k)\(suffix)"
            var w = Modelc_LstmWeights()
            w.weightIh = try copy("\(base)weight_ih\(tag)", shape: [4 * hidden, width])
            w.weightHh = try copy("\(base)weight_hh\(tag)", shape: [4 * hidden, hidden])
            let bih = try weights.tensor("\(base)bias_ih\(tag)", shape: [4 * hidden])
            let bhh = try weights.tensor("\(base)bias_hh\(tag)", shape: [4 * hidden])
            w.bias = prefix + "\(base)bias\(tag)"
            tensors.append(Modelc_Tensor(name: w.bias, shape: [4 * hidden], f32: zip(bih, bhh).map { $0 + $1 }))
            return w
        }
    }
}
