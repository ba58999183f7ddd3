/// The runtime's view of a loaded artifact: validated, owned by Swift, independent of the
/// protobuf-c structures it was read from.
public struct LoadedModel: Sendable {
    public var header: ArtifactHeader
    public var name: String
    public var version: String
    public var producer: String
    public var producerVersion: String
    public var createdUnix: Int64
    public var intervalSeconds: Int
    public var warmup: Int
    public var features: [FeatureDefinition]
    public var components: [ComponentDefinition]
    /// Nil when the artifact defines no blend (its components are scored, the signal is flat).
    public var blend: BlendDefinition?
    public var tensors: [TensorData]

    /// The tensor with this name (names are unique in a loaded model).
    public func tensor(named name: String) -> TensorData? {
        for t in tensors where sameBytes(t.name, name) { return t }
        return nil
    }
}

/// Feature kinds of format 1.0; raw values are the schema's `FeatureKind` numbers.
public enum FeatureKind: UInt32, Sendable {
    case logReturn = 1, volatility, rsi, macd, bollingerWidth, atr, volumeRatio, emaDistance, bodyRatio
    case zscore, logVolume, hourOfDay, dayOfWeek, crashVelocity, sellPressure, rsiMomentum
    case structuralBreakdown
}

public struct FeatureDefinition: Sendable {
    public var name: String
    public var kind: FeatureKind
    public var params: [Double]

    public init(name: String, kind: FeatureKind, params: [Double]) {
        self.name = name
        self.kind = kind
        self.params = params
    }
}

public enum ComponentRole: UInt32, Sendable {
    case unspecified = 0, long, short, direction
}

/// What one member of a component is.
public enum MemberKind: Sendable {
    case network(NetworkDefinition)
    case trees(TreeForest)
}

public struct MemberDefinition: Sendable {
    public var weight: Double
    public var kind: MemberKind
}

/// How member outputs are joined (Spec.md, "Components").
public enum MemberCombine: UInt32, Sendable {
    case meanProbability = 0, meanMargin
}

/// `x' = (x − shift) · scale` per input; `folded` scalers were applied to the first layer already.
public struct ScalerDefinition: Sendable {
    public var shift: [Float]
    public var scale: [Float]
    public var folded: Bool
}

public struct ComponentDefinition: Sendable {
    public var name: String
    public var role: ComponentRole
    /// Indices into `LoadedModel.features`, in the order the component reads them.
    public var inputFeatures: [Int]
    public var window: Int
    /// Nil when the component reads unscaled features.
    public var scaler: ScalerDefinition?
    public var members: [MemberDefinition]
    public var combine: MemberCombine
    /// Maps the combined probability (Spec.md §4.9); nil: none.
    public var calibrator: Calibrator? = nil
    /// The names of the values a caller supplies per timestep, when the component reads no
    /// features (an imported model); empty otherwise.
    public var inputNames: [String] = []

    /// Values per timestep: the features it reads, the inputs it declares, or, for a tree
    /// component imported before imports declared their inputs, its ensembles' feature count.
    public var inputCount: Int {
        if !inputFeatures.isEmpty { return inputFeatures.count }
        if !inputNames.isEmpty { return inputNames.count }
        for member in members { if case .trees(let forest) = member.kind { return forest.numFeatures } }
        return 0
    }

    /// `Member.weight` of each member, in member order.
    public var memberWeights: [Double] { members.map { $0.weight } }
    /// The flattened ensemble of each tree member; nil for other members.
    public var memberTrees: [TreeForest?] {
        members.map { m -> TreeForest? in
            if case .trees(let forest) = m.kind { return forest }
            return nil
        }
    }
}
