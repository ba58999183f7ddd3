import ModelcCompiler
import ModelcRuntime
import ModelcTraining

/// Everything `modelc build` does, read from one YAML file (Spec.md §14 lists every key).
/// Paths are resolved against the config file's folder.
public struct BuildConfig: Sendable {
    public var name = "model"
    public var version = "0.1.0"
    public var description = ""
    public var seed: UInt64 = 0
    /// Where the artifact goes when the command line does not say.
    public var output: String?
    public var data = DataSettings()
    public var labels = LabelSettings()
    public var walkForward = WalkForwardSettings()
    public var trees = TreeSettings()
    public var long = NetworkSettings(features: FeatureCatalog.base)
    public var short = NetworkSettings(features: FeatureCatalog.all)
    public var blend = BlendSettings()
    public var calibration = CalibrationMethod.isotonic
    public var search = SearchSettings()
    public var precision = WeightPrecision.f32
    public var backtest = BacktestCosts()
    /// Candles of a gap-free run the feature engine consumes before its first row.
    public var warmup = FeatureCatalog.defaultWarmup

    public init() {}
}

public struct DataSettings: Sendable {
    /// Candle files (CSV, JSON, feather or HDF5; Spec.md §11), one per symbol.
    public var files: [String] = []
    /// Candle interval in seconds; nil: inferred from the files.
    public var interval: Int64?
    /// Rows before `from` and from `to` on are not used for training or testing (the feature
    /// engine still reads every candle, as a bot replaying the file would).
    public var from: Int64?
    public var to: Int64?
}

public enum LabelKind: String, Sendable {
    case forward, tripleBarrier = "triple_barrier"
}

public struct LabelSettings: Sendable {
    public var kind = LabelKind.forward
    public var forward = LabelConfig()
    public var tripleBarrier = TripleBarrierConfig()
    public var horizon: Int { kind == .forward ? forward.horizon : tripleBarrier.horizon }
}

public struct WalkForwardSettings: Sendable {
    public var scheme = WindowScheme.rolling
    public var train: Int64 = 120 * 86_400
    public var test: Int64 = 14 * 86_400
    public var step: Int64?
    public var windows: Int? = 3
    public var purge: Int64?
    /// The last span of the data, kept out of every walk-forward window; the final models train
    /// on the `train` span before it and are backtested on it.
    public var holdout: Int64?
    /// Fraction of each training span, at its end, used to stop training early (trees and
    /// networks); a purge of the label horizon separates it from the rows trained on.
    public var validationFraction = 0.15
}

/// What a tree component learns (Spec.md §14.1 `trees.targets`).
public enum TreeTarget: String, Sendable, CaseIterable {
    /// The LONG / SHORT labels the networks learn: tree specialists (the default).
    case long, short
    /// close[t+H] > close[t]: the format-1.0 direction model, blended as §4.6.1.
    case direction
}

public struct TreeSettings: Sendable {
    public var enabled = true
    public var features = FeatureCatalog.all
    /// One tree component per target; `[direction]` alone gives the format-1.0 blend.
    public var targets: [TreeTarget] = [.long, .short]
    /// Each component averages one model per growth policy (`policy: both` trains leaf-wise and
    /// depth-wise, as the seeds' LightGBM + XGBoost pair).
    public var growths: [GrowthPolicy] = [.leafWise(numLeaves: 31)]
    /// After early stopping, train each forest again on every row of the span with the tree count
    /// it stopped at (the calibrator still comes from the early-stopped forest's held-out rows).
    public var refit = true
    /// True for `targets: [direction]`.
    public var isDirection: Bool { targets == [.direction] }
    /// A model trained by XGBoost or LightGBM, used as it is in every window instead of training;
    /// `features` names its columns.
    public var imported: (library: TreeLibrary, file: String)?
    public var parameters: GBDTParameters = {
        var p = GBDTParameters()
        p.numTrees = 200
        p.learningRate = 0.05
        p.growth = .leafWise(numLeaves: 31)
        p.minDataInLeaf = 50
        p.featureFraction = 0.8
        p.baggingFraction = 0.8
        p.earlyStopping = EarlyStopping(metric: .logLoss, patience: 30)
        return p
    }()
}

public struct NetworkSettings: Sendable {
    public var enabled = true
    public var features: [FeatureDefinition]
    /// A PyTorch network (architecture YAML, safetensors weights, optional standardisation YAML),
    /// used as it is in every window instead of training; it sets `features` and `sequenceLength`.
    public var imported: (architecture: PyTorchArchitecture, weights: String)?
    public var sequenceLength = 32
    public var hidden = 32
    public var layers = 1
    public var heads = 2
    public var fcHidden = 32
    public var dropout = 0.2
    public var training: LstmTrainingConfig = {
        var t = LstmTrainingConfig()
        t.epochs = 4
        t.batchSize = 128
        t.snapshots = 1
        t.earlyStoppingPatience = 2
        t.optimizer.learningRate = 2e-3
        return t
    }()

    public var spec: NetworkSpec {
        NetworkSpec(inputSize: features.count, sequenceLength: sequenceLength, layers: [
            .lstm(module: "lstm", hiddenSize: hidden, numLayers: layers, bidirectional: true, dropout: layers > 1 ? dropout : 0),
            .attention(module: "attention", heads: heads, lastQueryOnly: true),
            .dense(module: "fc.0", outputs: fcHidden, bias: true),
            .activation(.relu),
            .dropout(dropout),
            .dense(module: "fc.3", outputs: 2, bias: true),
        ])
    }
}

/// What the policy fit maximises on the out-of-fold rows (Spec.md §14.4).
public enum PolicyObjective: String, Sendable, CaseIterable {
    /// After-cost return beyond the market's move over the candles the position was held:
    /// a window's return − exposure × the direction's buy-and-hold return. Timing skill,
    /// not the drift of the span (a LONG that is in the market half the time in a rising span
    /// earns half its rise without knowing anything).
    case excessReturn = "excess_return"
    /// A window's after-cost total return.
    case `return`
    /// A window's annualised Sharpe ratio.
    case sharpe
}

public struct BlendSettings: Sendable {
    /// Fit the specialists' weights, entry thresholds, vetoes and holding time on the pooled
    /// walk-forward out-of-fold rows (Spec.md §14.4); false: the fixed values below.
    public var fit = true
    public var objective = PolicyObjective.excessReturn
    /// A direction trades only when the fit finds at least this many trades over the windows.
    public var minTrades = 20
    /// How sure the fit must be that a candidate's trades make money after costs, allowing for
    /// every candidate tried (Spec.md §14.4); 0: no such bar.
    public var confidence = 0.95
    public var treeWeight = 0.6
    public var networkWeight = 0.4
    /// Format-1.0 direction blend (`trees.targets: [direction]`, §4.6.1).
    public var entryThreshold = 0.6
    public var vetoThreshold = 0.3
    public var kellyFraction = 0.25
    public var payoffRatio = 1.0
    public var maxPosition = 1.0
    /// Specialists blend with `fit: false` (§4.6.2).
    public var longEntry = 0.5
    public var shortEntry = 0.5
    public var longVeto = 1.0
    public var shortVeto = 1.0
    /// Candles a position lasts after its entry signal; nil: the label horizon.
    public var hold: Int?

    /// Keys of the format-1.0 direction blend only.
    static let directionKeys = ["entry_threshold", "veto_threshold", "kelly_fraction", "payoff_ratio"]
}

/// Trading costs of a backtest, each a fraction per side (0.001 = 0.1 %).
public struct BacktestCosts: Sendable, Equatable {
    public var fee = 0.001
    public var slippage = 0.0

    public init(fee: Double = 0.001, slippage: Double = 0.0) {
        self.fee = fee
        self.slippage = slippage
    }
}
