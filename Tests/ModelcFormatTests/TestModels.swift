import Foundation
import ModelcFormat
import ModelcRuntime

/// Small models for format tests, built here so each test states what it wrote.
enum TestModels {
    /// A component reading features 0 and 1 (one step) through `member`, at weight 1.
    static func component(_ name: String, role: Modelc_ComponentRole, member: Modelc_Member) -> Modelc_Component {
        var member = member
        member.weight = 1
        var c = Modelc_Component()
        c.name = name
        c.role = role
        c.input.features = [0, 1]
        c.input.window = 1
        c.members = [member]
        return c
    }

    /// A model with one dense network over two features and the tensors it names.
    static func dense(extra: [Modelc_Tensor] = []) -> Modelc_Model {
        var m = Modelc_Model()
        m.info.name = "test-dense"
        m.info.version = "1.2.3"
        m.info.createdUnix = 1_700_000_000
        m.info.producer = "tests"
        m.info.metadata = ["b": "2", "a": "1", "c": "3"]
        m.features.intervalSeconds = 3600
        m.features.warmup = 10
        m.features.features = Array(FeatureCatalog.base.prefix(2)).map(Modelc_Feature.init)
        var d = Modelc_DenseLayer()
        d.inFeatures = 2
        d.outFeatures = 3
        d.weight = "w"
        d.bias = "b"
        var layer = Modelc_Layer()
        layer.name = "fc"
        layer.dense = d
        var net = Modelc_SequenceNetwork()
        net.inputSize = 2
        net.sequenceLength = 1
        net.outputSize = 3
        var pool = Modelc_Layer()
        pool.name = "last"
        pool.pooling = .poolingLastStep
        net.layers = [layer, pool]
        var member = Modelc_Member()
        member.network = net
        m.components = [component("long", role: .roleLong, member: member)]
        m.tensors = [
            Modelc_Tensor(name: "w", shape: [3, 2], f32: (0..<6).map { Float($0) * 0.5 - 1 }),
            Modelc_Tensor(name: "b", shape: [3], f32: [0.25, -0.5, 1e-8]),
        ] + extra
        var window = Modelc_WalkForwardWindow()
        window.index = 0
        window.trainStart = 1_600_000_000
        window.testEnd = 1_650_000_000
        var auc = Modelc_Metric()
        auc.name = "auc"
        auc.component = "long"
        auc.value = 0.61
        window.metrics = [auc]
        m.card.windows = [window]
        m.card.overall = [auc]
        m.card.backtest.sharpe = 1.25
        m.card.backtest.equity = [Modelc_EquityPoint.with { $0.timestamp = 1_650_000_000; $0.equity = 1.07 }]
        return m
    }

    /// The f32 values of a runtime tensor, decoded here independently of the writer.
    static func floats(_ t: TensorData) -> [Float] {
        stride(from: 0, to: t.data.count, by: 4).map { i in
            Float(bitPattern: UInt32(t.data[i]) | UInt32(t.data[i + 1]) << 8 | UInt32(t.data[i + 2]) << 16 | UInt32(t.data[i + 3]) << 24)
        }
    }
}
