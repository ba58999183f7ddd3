import CModelcSchema

extension TreeEnsembleDefinition {
    /// Copies a protobuf-c `TreeEnsemble` into Swift arrays (`TreeForest.init` validates it);
    /// `context` names the component and member in every error.
    init(_ e: Modelc__TreeEnsemble, context: String) throws(ModelcError) {
        guard let link = TreeLink(rawValue: e.link.rawValue) else {
            throw ModelcError(.invalidModel, "\(context): unknown link \(e.link.rawValue)")
        }
        guard let comparison = SplitComparison(rawValue: e.comparison.rawValue) else {
            throw ModelcError(.invalidModel, "\(context): unknown split comparison \(e.comparison.rawValue)")
        }
        guard let precision = ThresholdPrecision(rawValue: e.precision.rawValue) else {
            throw ModelcError(.invalidModel, "\(context): unknown threshold precision \(e.precision.rawValue)")
        }
        let source = TreeSource(rawValue: e.source.rawValue) ?? .native
        try limit(e.n_trees, ArtifactLimits.maxTrees, "\(context): trees")
        var trees: [TreeDefinition] = []
        trees.reserveCapacity(e.n_trees)
        for t in 0..<e.n_trees {
            trees.append(try Self.tree(e.trees[t]!.pointee, context: "\(context), tree \(t)"))
        }
        try limit(e.n_class_base_score, ArtifactLimits.maxTreeClasses, "\(context): class_base_score")
        self.init(numFeatures: Int(e.num_features), trees: trees, baseScore: e.base_score, link: link,
                  comparison: comparison, precision: precision, source: source, numClass: Int(e.num_class),
                  classBaseScore: copiedArray(e.class_base_score, e.n_class_base_score),
                  outputClass: Int(e.output_class), averageTrees: e.average_trees != 0)
    }

    private static func tree(_ t: Modelc__Tree, context: String) throws(ModelcError) -> TreeDefinition {
        try limit(t.n_left_child, ArtifactLimits.maxTreeNodes, "\(context): nodes")
        var missing: [MissingRule] = []
        missing.reserveCapacity(t.n_missing)
        for i in 0..<t.n_missing {
            guard let rule = MissingRule(rawValue: t.missing[i].rawValue) else {
                throw ModelcError(.invalidModel, "\(context), node \(i): unknown missing rule \(t.missing[i].rawValue)")
            }
            missing.append(rule)
        }
        return TreeDefinition(
            splitFeature: copiedArray(t.split_feature, t.n_split_feature),
            threshold: copiedArray(t.threshold, t.n_threshold),
            leftChild: copiedArray(t.left_child, t.n_left_child),
            rightChild: copiedArray(t.right_child, t.n_right_child),
            defaultLeft: UnsafeBufferPointer(start: t.default_left, count: t.n_default_left).map { $0 != 0 },
            missing: missing,
            leafValue: copiedArray(t.leaf_value, t.n_leaf_value))
    }
}
