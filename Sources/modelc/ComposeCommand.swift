import ArgumentParser
import ModelcCompiler
import ModelcFiles
import ModelcFormat
import ModelcRuntime

/// `modelc compose`: one dual model from separately trained or imported parts.
struct ComposeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compose",
        abstract: "Join a direction model (trees) and LONG / SHORT specialists into one artifact with the default blend.",
        discussion: """
            Each part is a single-component artifact (from `modelc import` or a build). Features are merged and \
            tensors renamed; the blend is trees 0.6 / specialist 0.4 (Spec.md §4.6). An imported tree model reads \
            columns, not candles: say which features its columns are with --direction-features.
            """
    )

    @Option(help: "The direction model (probability that the price goes up).")
    var direction: String?

    @Option(help: "Candle features of the direction model's columns, when it has no feature spec: base (19) or base+crash (23).")
    var directionFeatures: FeatureSet?

    @Option(help: "The LONG specialist.")
    var long: String?

    @Option(help: "The SHORT specialist.")
    var short: String?

    @Option(help: "Name of the composed model.")
    var name: String = "dual"

    @Option(help: "Semver version of the composed model (--version is modelc's own).")
    var modelVersion: String = "0.1.0"

    @Option(name: .shortAndLong, help: "Where to write the artifact.")
    var output: String

    func validate() throws {
        guard SemanticVersion.isValid(modelVersion) else { throw ValidationError("--model-version: \(SemanticVersion.problem(modelVersion))") }
        guard direction != nil || long != nil || short != nil else {
            throw ValidationError("give at least one of --direction, --long, --short")
        }
    }

    func run() throws {
        func part(_ path: String?, features: [FeatureDefinition]? = nil) throws -> ArtifactComposer.Part? {
            guard let path else { return nil }
            return ArtifactComposer.Part(model: try Artifact(path: path).model, file: path, features: features)
        }
        let model = try ArtifactComposer.compose(
            name: name, version: modelVersion, direction: try part(direction, features: directionFeatures?.definitions),
            long: try part(long), short: try part(short))
        let bytes = try ArtifactWriter.encode(model)
        _ = try ModelLoader.load(bytes)
        try AtomicFile.write(bytes, to: output)
        print("wrote \(output) (\(bytes.count) bytes): components \(model.components.map(\.name).joined(separator: ", ")), \(model.features.features.count) features")
    }
}

enum FeatureSet: String, ExpressibleByArgument, CaseIterable {
    case base
    case baseCrash = "base+crash"

    var definitions: [FeatureDefinition] {
        self == .base ? FeatureCatalog.base : FeatureCatalog.base + FeatureCatalog.crash
    }
}
