import Foundation
import ModelcFormat
import ModelcRuntime

/// Builds an artifact model around imported tree ensembles. The components compute no features
/// (an imported file does not say how its columns were computed): they declare their input
/// columns by the names the files give, and read caller-supplied rows of that many values
/// (`modelc predict`, `mc_score_inputs`). What the components are depends on what the models
/// predict (Spec.md §9.9):
/// - binary: one ROLE_DIRECTION component `direction`, the direction blend;
/// - regression: ROLE_LONG `long` (the predicted value, exactly as the library gives it) and
///   ROLE_SHORT `short` (the same trees with every leaf and base score negated, so exactly
///   minus that value), a specialists blend that enters LONG when the value is at least `entry`
///   and SHORT when it is at most −`entry`;
/// - multiclass: ROLE_LONG `long` and ROLE_SHORT `short`, each the softmax probability of the
///   class named so (`Signals.classes`), the same specialists blend entering at a probability
///   of `entry`.
public enum TreeArtifact {
    public static let componentName = "direction"

    public struct Member {
        public var imported: ImportedEnsemble
        public var weight: Double

        public init(_ imported: ImportedEnsemble, weight: Double = 1) {
            self.imported = imported
            self.weight = weight
        }
    }

    /// How the artifact of a regression or multiclass model turns its outputs into signals.
    public struct Signals: Sendable {
        /// The value (regression; default 0, the prediction's sign) or class probability
        /// (multiclass; default 0.5, a majority) at or above which a direction enters.
        public var entry: Double?
        /// Multiclass: what each class means, in class order: one `long`, one `short`, any other
        /// name for the rest (flat). Default for 3 classes: short, flat, long (a triple-barrier
        /// label −1, 0, 1 encoded as 0, 1, 2).
        public var classes: [String]?

        public init(entry: Double? = nil, classes: [String]? = nil) {
            self.entry = entry
            self.classes = classes
        }
    }

    /// The model; deterministic (created_unix is 0 unless given), so the same files give the
    /// same artifact bytes. Refuses members of different feature counts or bad weights.
    public static func model(name: String, members: [Member], combine: Modelc_MemberCombine = .combineMeanMargin,
                             signals: Signals = Signals(), createdUnix: Int64 = 0) throws(ImportError) -> Modelc_Model {
        guard let first = members.first else { throw ImportError(name, "no ensembles to put in the artifact") }
        for member in members {
            guard member.imported.kind == first.imported.kind else {
                throw ImportError(member.imported.file,
                    "is a \(member.imported.kind.name) model, \(first.imported.file) a \(first.imported.kind.name) one: members of one component predict the same thing")
            }
            guard member.weight.isFinite, member.weight > 0 else {
                throw ImportError(member.imported.file, "weight \(member.weight) must be finite and positive")
            }
            guard member.imported.ensemble.numFeatures == first.imported.ensemble.numFeatures else {
                throw ImportError(member.imported.file,
                    "reads \(member.imported.ensemble.numFeatures) features, \(first.imported.file) reads \(first.imported.ensemble.numFeatures): members of one component read the same rows")
            }
        }
        // Columns named by their files must agree; a library's default names agree with any.
        let named = members.filter { !$0.imported.namesAreDefaults }
        for member in named where member.imported.featureNames != named[0].imported.featureNames {
            let at = member.imported.featureNames.indices.first { member.imported.featureNames[$0] != named[0].imported.featureNames[$0] } ?? 0
            throw ImportError(member.imported.file,
                "feature \(at) is '\(member.imported.featureNames[at])', in \(named[0].imported.file) '\(named[0].imported.featureNames[at])': members of one component read the same columns")
        }
        var model = Modelc_Model()
        model.info.name = name
        model.info.version = "1.0.0"
        model.info.createdUnix = createdUnix
        model.info.producer = "modelc"
        model.info.producerVersion = ModelcVersion.string
        model.info.description_p = "Imported tree ensemble" + (members.count > 1 ? "s" : "") + " (" +
            members.map(\.imported.library).joined(separator: ", ") + ")"
        for (i, member) in members.enumerated() {
            model.info.metadata["member\(i).source"] = member.imported.library
            model.info.metadata["member\(i).file"] = URL(fileURLWithPath: member.imported.file).lastPathComponent
        }
        let names = (named.first ?? first).imported.featureNames
        func component(_ name: String, _ role: Modelc_ComponentRole, _ transform: (Modelc_TreeEnsemble) -> Modelc_TreeEnsemble = { $0 }) -> Modelc_Component {
            var component = Modelc_Component()
            component.name = name
            component.role = role
            component.input.window = 1
            component.input.names = names
            component.combine = combine
            component.members = members.map { m in
                var member = Modelc_Member()
                member.weight = m.weight
                member.trees = transform(m.imported.ensemble)
                return member
            }
            return component
        }
        if signals.classes != nil, first.imported.kind.classCount == nil {
            throw ImportError(first.imported.file, "a \(first.imported.kind.name) model has no classes to name")
        }
        switch first.imported.kind {
        case .binary:
            if signals.entry != nil { throw ImportError(first.imported.file, "a binary model takes no entry threshold (its artifact uses the direction blend)") }
            model.components = [component(componentName, .roleDirection)]
            model.blend = BlendDefaults.policy(direction: componentName, long: "", short: "")
        case .regression:
            model.components = [component("long", .roleLong), component("short", .roleShort, negated)]
            model.blend = try specialists(entry: signals.entry ?? 0, file: first.imported.file)
        case .multiclass(let k):
            let classes = signals.classes ?? (k == 3 ? ["short", "flat", "long"] : [])
            guard classes.count == k, let long = classes.firstIndex(of: "long"), let short = classes.firstIndex(of: "short"),
                  classes.lastIndex(of: "long") == long, classes.lastIndex(of: "short") == short else {
                throw ImportError(first.imported.file,
                    "a \(k)-class model needs its \(k) classes named in class order, one 'long' and one 'short' (got \(classes.isEmpty ? "none" : classes.joined(separator: ",")))")
            }
            guard members.count == 1 || combine == .combineMeanProbability else {
                throw ImportError(first.imported.file, "multiclass members are joined by their probabilities (combine probability), not their margins")
            }
            for (i, name) in classes.enumerated() { model.info.metadata["class\(i)"] = name }
            model.components = [component("long", .roleLong) { reporting($0, class: long) },
                                component("short", .roleShort) { reporting($0, class: short) }]
            model.blend = try specialists(entry: signals.entry ?? 0.5, file: first.imported.file)
        }
        return model
    }

    /// A multiclass ensemble that reports class `k`.
    private static func reporting(_ ensemble: Modelc_TreeEnsemble, class k: Int) -> Modelc_TreeEnsemble {
        var e = ensemble
        e.outputClass = UInt32(k)
        return e
    }

    /// The same trees with every leaf and the base score negated: IEEE negation is exact and
    /// rounding is symmetric, so the margin is exactly minus the original one.
    private static func negated(_ ensemble: Modelc_TreeEnsemble) -> Modelc_TreeEnsemble {
        var e = ensemble
        e.baseScore = -e.baseScore
        for t in e.trees.indices { e.trees[t].leafValue = e.trees[t].leafValue.map { -$0 } }
        return e
    }

    /// A specialists blend over the components `long` and `short`, one position held a candle,
    /// each direction entering at `entry`; vetoes of 1 (never, as the other side's output is
    /// at most 0 or a probability below 1 when a direction enters).
    private static func specialists(entry: Double, file: String) throws(ImportError) -> Modelc_BlendPolicy {
        guard entry.isFinite, entry >= 0 else { throw ImportError(file, "entry \(entry) must be finite and at least 0") }
        var blend = Modelc_BlendPolicy()
        blend.mode = .blendSpecialists
        var long = Modelc_BlendInput(), short = Modelc_BlendInput()
        long.component = "long"
        long.weight = 1
        short.component = "short"
        short.weight = 1
        blend.longInputs = [long]
        blend.shortInputs = [short]
        blend.longEntry = entry
        blend.shortEntry = entry
        blend.longVeto = 1
        blend.shortVeto = 1
        blend.maxPosition = 1
        blend.hold = 1
        return blend
    }
}

extension TreeModelKind {
    /// The number of classes of a multiclass model, else nil.
    public var classCount: Int? {
        if case .multiclass(let k) = self { k } else { nil }
    }

    /// "binary", "regression", "3-class".
    public var name: String {
        switch self {
        case .binary: "binary"
        case .regression: "regression"
        case .multiclass(let k): "\(k)-class"
        }
    }
}
