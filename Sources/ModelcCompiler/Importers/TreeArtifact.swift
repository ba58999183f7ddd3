import Foundation
import ModelcFormat
import ModelcRuntime

/// Builds an artifact model around imported tree ensembles: one ROLE_DIRECTION component whose
/// members are the ensembles, with their weights and how they combine. The component lists no
/// features: it reads caller-supplied rows of `num_features` values (`modelc predict`), since an
/// imported file does not say how its columns were computed.
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
