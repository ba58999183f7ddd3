import ModelcFormat
import ModelcTraining

/// The native GBDT trainer's forest as an artifact ensemble. The trainer already keeps exactly the
/// schema's fields (ModelcTraining cannot import the format, so the pipeline joins the two):
/// `x < t` on float32 inputs, NaN to the learned default side, logistic link.
public enum TrainedTreesExport {
    public static func ensemble(_ forest: TrainedForest) -> Modelc_TreeEnsemble {
        var e = Modelc_TreeEnsemble()
        e.numFeatures = UInt32(forest.numFeatures)
        e.baseScore = forest.baseScore
        e.link = .logistic
        e.comparison = .splitLessThan
        e.precision = .thresholdF32
        e.source = .treesNative
        e.trees = forest.trees.map { t in
            var tree = Modelc_Tree()
            tree.splitFeature = t.splitFeature
            tree.threshold = t.threshold
            tree.leftChild = t.leftChild
            tree.rightChild = t.rightChild
            tree.defaultLeft = t.defaultLeft
            tree.missing = Array(repeating: .missingNanDefault, count: t.nodeCount)
            tree.leafValue = t.leafValue
            return tree
        }
        return e
    }

    /// Feature importance for the model card, named by the component's input features.
    public static func importance(_ forest: TrainedForest, featureNames: [String]) -> [Modelc_FeatureImportance] {
        featureNames.indices.map { i in
            var f = Modelc_FeatureImportance()
            f.feature = featureNames[i]
            f.gain = forest.importance.gain[i]
            f.splits = UInt32(forest.importance.splits[i])
            return f
        }
    }
}
