import ModelcFormat
import ModelcRuntime

/// A small, seeded, untrained dual model (a BiLSTM + attention LONG network and a tree
/// ensemble) that exercises every part of the format. It is a format demonstration, not a
/// trading model: its weights are random and its model card says so.
public enum DemoModel {
    public static func make(seed: UInt64 = 42, createdUnix: Int64 = 0) -> Modelc_Model {
        var rng = SplitMix64(seed: seed)
        let features = FeatureCatalog.base
        let hidden = 8, embed = 2 * hidden, fc = 8
        var model = Modelc_Model()
        model.info.name = "demo-dual"
        model.info.version = "0.1.0"
        model.info.createdUnix = createdUnix
        model.info.producer = "modelc"
        model.info.producerVersion = ModelcVersion.string
        model.info.description_p = "Random-weight demonstration model: exercises the format, predicts nothing."
        model.info.metadata = ["seed": String(seed), "purpose": "demo"]
        model.features.intervalSeconds = 3600
        model.features.warmup = UInt32(FeatureCatalog.defaultWarmup)
        model.features.features = features.map(Modelc_Feature.init)

        func tensor(_ name: String, _ shape: [Int], bound: Float) -> String {
            let values = (0..<shape.reduce(1, *)).map { _ in rng.uniform(bound) }
            model.tensors.append(Modelc_Tensor(name: name, shape: shape, f32: values))
            return name
        }
        func lstmWeights(_ prefix: String, input: Int) -> Modelc_LstmWeights {
            var w = Modelc_LstmWeights()
            let bound = 1 / Float(hidden).squareRoot()
            w.weightIh = tensor("\(prefix).weight_ih", [4 * hidden, input], bound: bound)
            w.weightHh = tensor("\(prefix).weight_hh", [4 * hidden, hidden], bound: bound)
            w.bias = tensor("\(prefix).bias", [4 * hidden], bound: bound)
            return w
        }

        var lstm = Modelc_LstmLayer()
        lstm.inputSize = UInt32(features.count)
        lstm.hiddenSize = UInt32(hidden)
        lstm.direction = .lstmBidirectional
        lstm.forward = lstmWeights("lstm.l0", input: features.count)
        lstm.reverse = lstmWeights("lstm.l0_reverse", input: features.count)
        var attention = Modelc_AttentionLayer()
        attention.embedDim = UInt32(embed)
        attention.numHeads = 2
        attention.query = .queryLastStep
        attention.inProjWeight = tensor("attention.in_proj_weight", [3 * embed, embed], bound: 0.2)
        attention.inProjBias = tensor("attention.in_proj_bias", [3 * embed], bound: 0.1)
        attention.outProjWeight = tensor("attention.out_proj.weight", [embed, embed], bound: 0.2)
        attention.outProjBias = tensor("attention.out_proj.bias", [embed], bound: 0.1)
        var network = Modelc_SequenceNetwork()
        network.inputSize = UInt32(features.count)
        network.sequenceLength = 16
        network.outputSize = 2
        network.positiveClass = 1
        network.layers = [
            layer("lstm", .lstm(lstm)),
            layer("attention", .attention(attention)),
            layer("fc.0", .dense(dense(tensor("fc.0.weight", [fc, embed], bound: 0.3), tensor("fc.0.bias", [fc], bound: 0.1), embed, fc))),
            layer("relu", .activation(.activationRelu)),
            layer("fc.3", .dense(dense(tensor("fc.3.weight", [2, fc], bound: 0.3), tensor("fc.3.bias", [2], bound: 0.1), fc, 2))),
        ]
        var long = Modelc_Component()
        long.name = "long"
        long.role = .roleLong
        long.input.features = (0..<UInt32(features.count)).map { $0 }
        long.input.window = network.sequenceLength
        long.input.scaler.kind = .scalerStandard
        long.input.scaler.shift = features.map { _ in 0 }
        long.input.scaler.scale = features.map { _ in 1 }
        var member = Modelc_Member()
        member.weight = 1
        member.network = network
        long.members = [member]

        var trees = Modelc_Component()
        trees.name = "direction"
        trees.role = .roleDirection
        trees.input.features = (0..<UInt32(features.count)).map { $0 }
        trees.input.window = 1
        var treeMember = Modelc_Member()
        treeMember.weight = 1
        treeMember.trees = stumps(count: 4, features: features.count, rng: &rng)
        trees.members = [treeMember]
        model.components = [trees, long]

        model.blend = BlendDefaults.policy(direction: "direction", long: "long", short: "")
        model.card.notes = "Untrained demo: random weights, no evaluation."
        return model
    }

    private static func layer(_ name: String, _ kind: Modelc_Layer.OneOf_Kind) -> Modelc_Layer {
        var l = Modelc_Layer()
        l.name = name
        l.kind = kind
        return l
    }

    private static func dense(_ weight: String, _ bias: String, _ input: Int, _ output: Int) -> Modelc_DenseLayer {
        var d = Modelc_DenseLayer()
        d.inFeatures = UInt32(input)
        d.outFeatures = UInt32(output)
        d.weight = weight
        d.bias = bias
        return d
    }

    /// Depth-1 trees on random features (XGBoost semantics: `x < t` goes left, NaN goes left).
    private static func stumps(count: Int, features: Int, rng: inout SplitMix64) -> Modelc_TreeEnsemble {
        var ensemble = Modelc_TreeEnsemble()
        ensemble.numFeatures = UInt32(features)
        ensemble.link = .logistic
        ensemble.comparison = .splitLessThan
        ensemble.precision = .thresholdF32
        ensemble.source = .treesNative
        for _ in 0..<count {
            var tree = Modelc_Tree()
            tree.splitFeature = [UInt32(rng.next() % UInt64(features)), 0, 0]
            tree.threshold = [Double(rng.uniform(0.05)), 0, 0]
            tree.leftChild = [1, -1, -1]
            tree.rightChild = [2, -1, -1]
            tree.defaultLeft = [true, false, false]
            tree.missing = [.missingNanDefault, .missingNanDefault, .missingNanDefault]
            tree.leafValue = [0, Double(rng.uniform(0.2)), Double(rng.uniform(0.2))]
            ensemble.trees.append(tree)
        }
        return ensemble
    }
}
