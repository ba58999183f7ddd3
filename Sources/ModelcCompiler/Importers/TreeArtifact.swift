import Foundation
import ModelcFormat
import ModelcRuntime

/// Builds an artifact model around imported tree ensembles: one ROLE_DIRECTION component whose
/// members are the ensembles, with their weights and how they combine. The component computes no
/// features (an imported file does not say how its columns were computed): it declares its input
/// columns by the names the files give, and reads caller-supplied rows of that many values
/// (`modelc predict`, `mc_score_inputs`).
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

    /// The model; deterministic (created_unix is 0 unless given), so the same files give the
    /// same artifact bytes. Refuses members of different feature counts or bad weights.
    public static func model(name: String, members: [Member], combine: Modelc_MemberCombine = .combineMeanMargin,
                             createdUnix: Int64 = 0) throws(ImportError) -> Modelc_Model {
        guard let first = members.first else { throw ImportError(name, "no ensembles to put in the artifact") }
        for member in members {
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
        var component = Modelc_Component()
        component.name = componentName
        component.role = .roleDirection
        component.input.window = 1
        component.input.names = (named.first ?? first).imported.featureNames
        component.combine = combine
        component.members = members.map { m in
            var member = Modelc_Member()
            member.weight = m.weight
            member.trees = m.imported.ensemble
            return member
        }
        model.components = [component]
        model.blend = BlendDefaults.policy(direction: componentName, long: "", short: "")
        return model
    }
}
