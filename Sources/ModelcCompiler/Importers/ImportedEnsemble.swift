import ModelcFormat
import ModelcRuntime

/// What an imported model predicts, which decides how its artifact turns it into signals
/// (TreeArtifact; Spec.md §9.9).
public enum TreeModelKind: Equatable, Sendable {
    /// The probability of the positive class (binary:logistic, LightGBM binary).
    case binary
    /// A value, e.g. a forward return (reg:squarederror, LightGBM regression).
    case regression
    /// The probability of each of `classes` classes (multi:softprob, LightGBM multiclass).
    case multiclass(classes: Int)
}

/// A tree ensemble read from another library's model file, ready to become an artifact member.
public struct ImportedEnsemble {
    public var ensemble: Modelc_TreeEnsemble
    public var kind: TreeModelKind
    /// The library and version that wrote the file, e.g. "xgboost 3.2.0".
    public var library: String
    /// The file it came from, as given.
    public var file: String
    /// The name of each input column, as the file states them (`num_features` of them).
    public var featureNames: [String]
    /// True when the file names no columns and `featureNames` are the library's defaults
    /// (XGBoost's `f0`, `f1`, …; LightGBM's `Column_0`, …), which say nothing about the data.
    public var namesAreDefaults: Bool

    /// Checks the ensemble with the runtime's own validation (the one implementation of what a
    /// loadable tree is), so a malformed model is refused at import, naming the file; and that
    /// there is one name, of at most `ArtifactLimits.maxStringBytes`, per input column.
    init(_ ensemble: Modelc_TreeEnsemble, kind: TreeModelKind, library: String, file: String, featureNames: [String],
         namesAreDefaults: Bool) throws(ImportError) {
        do {
            _ = try TreeForest(TreeEnsembleDefinition(ensemble), context: "model")
        } catch {
            throw ImportError(file, error.message)
        }
        guard featureNames.count == Int(ensemble.numFeatures) else {
            throw ImportError(file, "names \(featureNames.count) feature columns, the model reads \(ensemble.numFeatures)")
        }
        for (i, name) in featureNames.enumerated() where name.isEmpty || name.utf8.count > ArtifactLimits.maxStringBytes {
            throw ImportError(file, "feature name \(i) must be 1 to \(ArtifactLimits.maxStringBytes) bytes, it has \(name.utf8.count)")
        }
        self.ensemble = ensemble
        self.kind = kind
        self.library = library
        self.file = file
        self.featureNames = featureNames
        self.namesAreDefaults = namesAreDefaults
    }
}

extension TreeEnsembleDefinition {
    /// The runtime's view of an ensemble an importer built (importers set only known enum
    /// values; the artifact loader is what refuses unknown ones in files).
    init(_ e: Modelc_TreeEnsemble) {
        self.init(
            numFeatures: Int(e.numFeatures),
            trees: e.trees.map { t in
                TreeDefinition(
                    splitFeature: t.splitFeature, threshold: t.threshold, leftChild: t.leftChild,
                    rightChild: t.rightChild, defaultLeft: t.defaultLeft,
                    missing: t.missing.map { MissingRule(rawValue: UInt32(clamping: $0.rawValue)) ?? .nanDefault },
                    leafValue: t.leafValue)
            },
            baseScore: e.baseScore,
            link: TreeLink(rawValue: UInt32(clamping: e.link.rawValue)) ?? .identity,
            comparison: SplitComparison(rawValue: UInt32(clamping: e.comparison.rawValue)) ?? .lessThan,
            precision: ThresholdPrecision(rawValue: UInt32(clamping: e.precision.rawValue)) ?? .f32,
            source: TreeSource(rawValue: UInt32(clamping: e.source.rawValue)) ?? .native,
            numClass: Int(e.numClass), classBaseScore: e.classBaseScore, outputClass: Int(e.outputClass),
            averageTrees: e.averageTrees)
    }
}

/// The libraries whose tree models `modelc import` reads.
public enum TreeLibrary: String, CaseIterable, Sendable {
    case xgboost, lightgbm

    /// Reads a model file of this library.
    public func read(path: String) throws(ImportError) -> ImportedEnsemble {
        switch self {
        case .xgboost: try XGBoostImporter.read(path: path)
        case .lightgbm: try LightGBMImporter.read(path: path)
        }
    }
}
