/// How a split compares its input with its threshold (schema `SplitComparison`).
public enum SplitComparison: UInt32, Sendable {
    /// Left when `x < threshold` (XGBoost).
    case lessThan = 0
    /// Left when `x <= threshold` (LightGBM).
    case lessEqual = 1
}

/// The precision a split compares in and leaves are summed in (schema `ThresholdPrecision`).
public enum ThresholdPrecision: UInt32, Sendable {
    /// Input, threshold and running sum rounded to float32 (XGBoost).
    case f32 = 0
    /// Everything in float64 (LightGBM).
    case f64 = 1
}

/// Where a node sends a missing input (schema `MissingRule`).
public enum MissingRule: UInt32, Sendable {
    /// NaN follows the default direction.
    case nanDefault = 0
    /// NaN, and every |x| <= `TreeEnsembleDefinition.zeroThreshold`, follow the default direction.
    case zeroDefault = 1
    /// NaN is compared as 0.0.
    case none = 2
}

/// How a margin becomes a probability (schema `Link`).
public enum TreeLink: UInt32, Sendable {
    case identity = 0
    case logistic = 1
    /// The output class's share of the softmax over the class margins (multiclass ensembles).
    case softmax = 2
}

/// Which library the trees came from (informational: semantics live in the fields above).
public enum TreeSource: UInt32, Sendable {
    case native = 0
    case xgboost = 1
    case lightgbm = 2
}

/// One tree as the artifact stores it: parallel arrays over nodes, node 0 the root, a node is a
/// leaf when its left child is -1, children have larger indices than their parent.
public struct TreeDefinition: Sendable {
    public var splitFeature: [UInt32]
    public var threshold: [Double]
    public var leftChild: [Int32]
    public var rightChild: [Int32]
    public var defaultLeft: [Bool]
    public var missing: [MissingRule]
    public var leafValue: [Double]

    public init(splitFeature: [UInt32], threshold: [Double], leftChild: [Int32], rightChild: [Int32],
                defaultLeft: [Bool], missing: [MissingRule], leafValue: [Double]) {
        self.splitFeature = splitFeature
        self.threshold = threshold
        self.leftChild = leftChild
        self.rightChild = rightChild
        self.defaultLeft = defaultLeft
        self.missing = missing
        self.leafValue = leafValue
    }

    public var nodeCount: Int { leftChild.count }

    public func isLeaf(_ node: Int) -> Bool { leftChild[node] == -1 }
}

/// A tree ensemble as the artifact stores it (schema `TreeEnsemble`), before flattening.
public struct TreeEnsembleDefinition: Sendable {
    /// LightGBM's kZeroThreshold: the float32 constant 1e-35f widened exactly to float64.
    public static let zeroThreshold = 1.0000000180025095e-35
    /// Largest feature count: the kernel addresses four copies of a row with 32-bit indices.
    public static let maxFeatures = 1 << 29

    public var numFeatures: Int
    public var trees: [TreeDefinition]
    /// Added to the sum of leaves, in margin space.
    public var baseScore: Double
    public var link: TreeLink
    public var comparison: SplitComparison
    public var precision: ThresholdPrecision
    public var source: TreeSource
    /// Multiclass (2 or more): tree t adds to class t mod `numClass`, whose sum starts at
    /// `classBaseScore[k]`; the member reports class `outputClass`. 0 or 1: one output.
    public var numClass: Int
    public var classBaseScore: [Double]
    public var outputClass: Int
    /// Each sum is divided by its number of trees (a random forest's average).
    public var averageTrees: Bool

    public init(numFeatures: Int, trees: [TreeDefinition], baseScore: Double, link: TreeLink,
                comparison: SplitComparison, precision: ThresholdPrecision, source: TreeSource,
                numClass: Int = 0, classBaseScore: [Double] = [], outputClass: Int = 0, averageTrees: Bool = false) {
        self.numFeatures = numFeatures
        self.trees = trees
        self.baseScore = baseScore
        self.link = link
        self.comparison = comparison
        self.precision = precision
        self.source = source
        self.numClass = numClass
        self.classBaseScore = classBaseScore
        self.outputClass = outputClass
        self.averageTrees = averageTrees
    }

    /// The single-output ensemble of class `k`'s trees, which a multiclass forest scores per class.
    func classEnsemble(_ k: Int) -> TreeEnsembleDefinition {
        var trees: [TreeDefinition] = []
        for t in Swift.stride(from: k, to: self.trees.count, by: numClass) { trees.append(self.trees[t]) }
        return TreeEnsembleDefinition(numFeatures: numFeatures, trees: trees, baseScore: classBaseScore[k], link: .identity,
                                      comparison: comparison, precision: precision, source: source, averageTrees: averageTrees)
    }

    /// Checks everything the kernel relies on; `context` names the component and member.
    /// A tree must be a tree: arrays of one length, every split's children in range and after
    /// it, every node but the root the child of exactly one split (so every node is reachable and
    /// every walk ends), features below `numFeatures`, no NaN threshold, finite leaves.
    public func validate(_ context: String) throws(ModelcError) {
        guard numFeatures > 0, numFeatures <= Self.maxFeatures else {
            throw ModelcError(.invalidModel, "\(context): num_features \(numFeatures) is outside 1...\(Self.maxFeatures)")
        }
        guard baseScore.isFinite else {
            throw ModelcError(.invalidModel, "\(context): base_score is not finite")
        }
        let classes = numClass >= 2
        guard classes == (link == .softmax) else {
            throw ModelcError(.invalidModel, "\(context): LINK_SOFTMAX goes with num_class >= 2 and only with it (num_class \(numClass))")
        }
        if classes {
            guard numClass <= ArtifactLimits.maxTreeClasses, classBaseScore.count == numClass, outputClass < numClass,
                  trees.count % numClass == 0 else {
                throw ModelcError(.invalidModel,
                    "\(context): num_class \(numClass) needs at most \(ArtifactLimits.maxTreeClasses) classes, as many class_base_score (has \(classBaseScore.count)), output_class below it (is \(outputClass)) and a multiple of it trees (has \(trees.count))")
            }
            for (k, b) in classBaseScore.enumerated() where !b.isFinite {
                throw ModelcError(.invalidModel, "\(context): class_base_score[\(k)] is not finite")
            }
        } else if !classBaseScore.isEmpty || outputClass != 0 {
            throw ModelcError(.invalidModel, "\(context): class_base_score and output_class need num_class >= 2")
        }
        if averageTrees && trees.isEmpty {
            throw ModelcError(.invalidModel, "\(context): average_trees needs at least one tree")
        }
        for (t, tree) in trees.enumerated() {
            try validate(tree, "\(context), tree \(t)")
        }
    }

    private func validate(_ tree: TreeDefinition, _ context: String) throws(ModelcError) {
        let n = tree.nodeCount
        guard n > 0 else { throw ModelcError(.invalidModel, "\(context): has no nodes") }
        guard n < Int(Int32.max) else { throw ModelcError(.limitExceeded, "\(context): \(n) nodes is too many") }
        let lengths = [tree.splitFeature.count, tree.threshold.count, tree.rightChild.count,
                       tree.defaultLeft.count, tree.missing.count, tree.leafValue.count]
        for length in lengths where length != n {
            throw ModelcError(.invalidModel,
                "\(context): node arrays differ in length (left_child has \(n), another array \(length))")
        }
        var parents = [UInt8](repeating: 0, count: n)
        var depth = [Int32](repeating: 0, count: n)
        for i in 0..<n {
            if tree.isLeaf(i) {
                guard tree.leafValue[i].isFinite else {
                    throw ModelcError(.invalidModel, "\(context), node \(i): leaf value is not finite")
                }
                continue
            }
            let left = Int(tree.leftChild[i]), right = Int(tree.rightChild[i])
            guard left > i, left < n, right > i, right < n, left != right else {
                throw ModelcError(.invalidModel,
                    "\(context), node \(i): children \(left) and \(right) must be distinct nodes after \(i) and below \(n)")
            }
            parents[left] += 1
            parents[right] += 1
            guard parents[left] == 1, parents[right] == 1 else {
                throw ModelcError(.invalidModel, "\(context), node \(i): a child already has a parent")
            }
            // Parents come before children, so depth[i] is final here.
            guard depth[i] < Int32(ArtifactLimits.maxTreeDepth) else {
                throw ModelcError(.limitExceeded, "\(context), node \(i): deeper than the limit of \(ArtifactLimits.maxTreeDepth)")
            }
            depth[left] = depth[i] + 1
            depth[right] = depth[i] + 1
            guard Int(tree.splitFeature[i]) < numFeatures else {
                throw ModelcError(.invalidModel,
                    "\(context), node \(i): splits on feature \(tree.splitFeature[i]), the ensemble has \(numFeatures)")
            }
            guard !tree.threshold[i].isNaN else {
                throw ModelcError(.invalidModel, "\(context), node \(i): threshold is NaN")
            }
        }
        for i in 1..<n where parents[i] == 0 {
            throw ModelcError(.invalidModel, "\(context), node \(i): no split leads to it")
        }
    }
}
