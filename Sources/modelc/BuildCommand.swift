import ArgumentParser
import Foundation
import ModelcPipeline

/// `modelc build CONFIG`: candles to a validated, compiled dual model with its model card.
struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Train, evaluate walk-forward, backtest and compile a model from a YAML build config.",
        discussion: "See Models/quickstart.yaml; every key is listed in Spec.md §14. Progress goes to standard error."
    )

    @Argument(help: "The build config (YAML).")
    var config: String

    @Option(name: .shortAndLong, help: "Where to write the artifact (default: the config's `output`).")
    var output: String?

    func run() throws {
        let settings = try BuildConfig.load(path: config)
        guard let path = output ?? settings.output else {
            throw ValidationError("say where the artifact goes: -o PATH, or `output:` in \(config)")
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let text = try String(contentsOfFile: config, encoding: .utf8)
        let started = Date()
        let result = try BuildPipeline(config: settings, configText: text).run(output: path)
        let b = result.model.card.backtest
        print("wrote \(path) (\(result.bytes.count) bytes) in \(Int(Date().timeIntervalSince(started))) s")
        print(String(format: "holdout backtest: return %+.2f %%, sharpe %.2f, max drawdown %.2f %%, %d trades",
                     100 * b.totalReturn, b.sharpe, 100 * b.maxDrawdown, b.trades))
    }
}
