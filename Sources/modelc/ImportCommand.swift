import ArgumentParser
import Foundation
import ModelcCompiler
import ModelcFiles
import ModelcFormat
import ModelcRuntime

/// Compiles tree models trained by other libraries into an artifact.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Compile a model trained by another library (XGBoost, LightGBM, PyTorch) into an artifact.",
        discussion: """
            Tree imports score exactly as the library does: the same margins, bit for bit, and the same leaves; \
            a binary classifier's one component, 'direction', reads rows of the model's feature columns (see `modelc predict`); \
            a regression model's components 'long' (the predicted value) and 'short' (minus it), a multiclass model's 'long' and \
            'short' (the probabilities of the classes --classes names so) feed a blend that enters at --entry. \
            PyTorch imports reproduce PyTorch's outputs to float32 rounding.
            """,
        subcommands: [ImportXGBoostCommand.self, ImportLightGBMCommand.self, ImportEnsembleCommand.self, ImportPyTorchCommand.self]
    )
}

/// What every import writes.
struct ImportOutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Where to write the artifact (.modelc).")
    var output: String

    @Option(help: "The model's name (default: the first input's file name without its extension).")
    var name: String?

    @Option(help: "Body compression: zstd or none.")
    var compression: CompressionChoice = .zstd

    @Option(help: "Regression models: the predicted value at or above which LONG is entered, at or below minus which SHORT (default 0: the sign). Multiclass models: the class probability at or above which its direction is entered (default 0.5).")
    var entry: Double?

    @Option(help: "Multiclass models: what each class means, comma-separated in class order: one long, one short, others flat (default for 3 classes: short,flat,long).")
    var classes: String?

    /// Builds, checks with the runtime's loader, and writes the artifact; prints a summary.
    func write(_ members: [TreeArtifact.Member], combine: Modelc_MemberCombine) throws {
        let modelName = name ?? URL(fileURLWithPath: members[0].imported.file).deletingPathExtension().lastPathComponent
        let model = try TreeArtifact.model(name: modelName, members: members, combine: combine, signals: .init(entry: entry, classes: classes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }))
        let bytes = try ArtifactWriter.encode(model, compression: compression.value)
        _ = try ModelLoader.load(bytes)
        try AtomicFile.write(bytes, to: output)
        let trees = members.map { "\($0.imported.ensemble.trees.count) trees (\($0.imported.library))" }
        print("wrote \(output) (\(bytes.count) bytes): \(trees.joined(separator: " + "))")
    }
}

struct ImportXGBoostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xgboost",
        abstract: "Import an XGBoost gbtree model saved as JSON (.json) or UBJSON (.ubj).",
        discussion: "Supported: gbtree and dart boosters; binary:logistic, reg:logistic, reg:squarederror and multi:softprob; numerical and categorical splits."
    )

    @Argument(help: "The XGBoost model file (Booster.save_model with a .json or .ubj name).")
    var file: String

    @OptionGroup var options: ImportOutputOptions

    func run() throws {
        try options.write([.init(try TreeLibrary.xgboost.read(path: file))], combine: .combineMeanMargin)
    }
}

struct ImportLightGBMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lightgbm",
        abstract: "Import a LightGBM text model (Booster.save_model).",
        discussion: "Supported: objectives binary (sigmoid:1), regression and multiclass; gbdt and rf boosting; numerical and categorical splits (not linear trees)."
    )

    @Argument(help: "The LightGBM model file (text).")
    var file: String

    @OptionGroup var options: ImportOutputOptions

    func run() throws {
        try options.write([.init(try TreeLibrary.lightgbm.read(path: file))], combine: .combineMeanMargin)
    }
}

struct ImportEnsembleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ensemble",
        abstract: "Import several tree models into one component that averages them.",
        discussion: """
            Example: modelc import ensemble xgboost:xgb.json lightgbm:lgb.txt --weights 1,3 -o blend.modelc
            Every model must read the same feature columns in the same order.
            """
    )

    @Argument(help: "Members as LIBRARY:FILE, LIBRARY one of xgboost, lightgbm.")
    var members: [String]

    @Option(help: "One weight per member, comma-separated, in member order (default: equal).")
    var weights: String?

    @Option(help: "margin: weighted mean of margins, then the logistic link; probability: weighted mean of probabilities.")
    var combine: CombineChoice = .margin

    @OptionGroup var options: ImportOutputOptions

    func validate() throws {
        guard !members.isEmpty else { throw ValidationError("name at least one member as LIBRARY:FILE") }
    }

    func run() throws {
        let weightValues = try parseWeights()
        var parsed: [TreeArtifact.Member] = []
        for (i, member) in members.enumerated() {
            guard let colon = member.firstIndex(of: ":"), let library = TreeLibrary(rawValue: String(member[..<colon])) else {
                throw ValidationError("member '\(member)': expected LIBRARY:FILE with LIBRARY one of \(TreeLibrary.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            parsed.append(.init(try library.read(path: String(member[member.index(after: colon)...])), weight: weightValues[i]))
        }
        try options.write(parsed, combine: combine == .margin ? .combineMeanMargin : .combineMeanProbability)
    }

    private func parseWeights() throws -> [Double] {
        guard let weights else { return members.map { _ in 1 } }
        let values = weights.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.count == members.count, values.allSatisfy({ $0 != nil }) else {
            throw ValidationError("--weights: expected \(members.count) comma-separated numbers, got '\(weights)'")
        }
        return values.map { $0! }
    }
}

enum CombineChoice: String, ExpressibleByArgument, CaseIterable {
    case margin, probability
}
