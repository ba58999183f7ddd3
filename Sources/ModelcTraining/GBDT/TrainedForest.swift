import ModelcRuntime

/// One trained tree with exactly the fields of the artifact's `Tree` message, node 0 the root,
/// children after their parent. At a split node n, a row goes to `leftChild[n]` when its
/// feature `splitFeature[n]` is NaN and `defaultLeft[n]`, or when it is not NaN and
/// `x < threshold[n]` (SPLIT_LESS_THAN, MISSING_NAN_DEFAULT, compared as float32: every
/// threshold is a float32 value, or -infinity for "only NaN goes left"). A leaf has
/// `leftChild == rightChild == -1` and its `leafValue` (learning rate applied); split nodes
/// have leaf value 0 and leaves split feature 0, threshold 0, default right.
public struct TrainedTree: Sendable, Equatable {
    public let splitFeature: [UInt32]
    public let threshold: [Double]
    public let leftChild: [Int32]
    public let rightChild: [Int32]
    public let defaultLeft: [Bool]
    public let leafValue: [Double]

    /// A tree from its fields, as a build cache entry stores them.
    public init(splitFeature: [UInt32], threshold: [Double], leftChild: [Int32], rightChild: [Int32], defaultLeft: [Bool],
                leafValue: [Double]) {
        self.splitFeature = splitFeature
        self.threshold = threshold
        self.leftChild = leftChild
        self.rightChild = rightChild
        self.defaultLeft = defaultLeft
        self.leafValue = leafValue
    }

    /// From a grown tree: bins become the thresholds of `bins`.
    init(_ tree: GrownTree, bins: [FeatureBins]) {
        var threshold = [Double](repeating: 0, count: tree.feature.count)
        for n in threshold.indices where tree.left[n] >= 0 {
            let b = Int(tree.bin[n])
            threshold[n] = b < 0 ? -Double.infinity : Double(bins[Int(tree.feature[n])].thresholds[b])
        }
        splitFeature = tree.feature.map { UInt32($0) }
        self.threshold = threshold
        leftChild = tree.left
        rightChild = tree.right
        defaultLeft = tree.defaultLeft
        leafValue = tree.value
    }

    public var nodeCount: Int { splitFeature.count }

    /// The leaf value reached by one row of `numFeatures` float32 values.
    public func value(row: UnsafeBufferPointer<Float>) -> Double {
        var n = 0
        while leftChild[n] >= 0 {
            let x = row[Int(splitFeature[n])]
            let left = x.isNaN ? defaultLeft[n] : Double(x) < threshold[n]
            n = Int(left ? leftChild[n] : rightChild[n])
        }
        return leafValue[n]
    }
}

/// What each feature contributed: summed split gains and split counts over the kept trees.
public struct FeatureImportance: Sendable, Equatable {
    /// Per feature, the sum of S(left) + S(right) - S(parent) over its splits.
    public let gain: [Double]
    /// Per feature, how many splits use it.
    public let splits: [Int]

    public init(gain: [Double], splits: [Int]) {
        self.gain = gain
        self.splits = splits
    }
}

/// A trained forest with the fields of the artifact's `TreeEnsemble`: `numFeatures`, `trees`,
/// `baseScore` (margin space), link LINK_LOGISTIC, comparison SPLIT_LESS_THAN, precision
/// THRESHOLD_F32, every node MISSING_NAN_DEFAULT, source TREES_NATIVE. The margin of a row is
/// baseScore plus the trees' leaf values added in tree order in Double; the probability is
/// sigmoid(margin).
public struct TrainedForest: Sendable, Equatable {
    public let numFeatures: Int
    public let trees: [TrainedTree]
    public let baseScore: Double
    public let importance: FeatureImportance

    public init(numFeatures: Int, trees: [TrainedTree], baseScore: Double, importance: FeatureImportance) {
        self.numFeatures = numFeatures
        self.trees = trees
        self.baseScore = baseScore
        self.importance = importance
    }

    /// The margin (log-odds) of one row.
    public func margin(row: UnsafeBufferPointer<Float>) -> Double {
        var m = baseScore
        for tree in trees { m += tree.value(row: row) }
        return m
    }

    /// Margins of row-major rows of `numFeatures` values each.
    public func margins(_ features: [Float]) throws(ModelcError) -> [Double] {
        guard features.count % numFeatures == 0 else {
            throw ModelcError(.invalidArgument, "forest: \(features.count) values do not make rows of \(numFeatures) features")
        }
        return features.withUnsafeBufferPointer { x in
            (0..<(features.count / numFeatures)).map { r in
                margin(row: UnsafeBufferPointer(rebasing: x[(r * numFeatures)..<((r + 1) * numFeatures)]))
            }
        }
    }

    /// Probabilities sigmoid(margin) of row-major rows.
    public func probabilities(_ features: [Float]) throws(ModelcError) -> [Double] {
        try margins(features).map { DMath.sigmoid($0) }
    }
}
