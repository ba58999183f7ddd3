import ArgumentParser
import Foundation
import ModelcRegistry

struct RegistryPromoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Move an alias (e.g. production) to a version if its model-card metrics pass the gates.",
        discussion: """
            A gate is METRIC OP BOUND: METRIC names an overall model-card metric as <component>.<metric>, as \
            `modelc inspect --json` lists them under card.overall (e.g. long/blend.auc, the walk-forward test AUC \
            of the LONG blend, or holdout/long/blend.auc), OP is one of >= <= > < ==, and BOUND is a number or \
            @ALIAS (the same metric of the version that alias holds). --require-better-than ALIAS adds \
            'METRIC>@ALIAS' for each --better-on metric (higher is better; for a lower-is-better metric write e.g. \
            --require 'long/blend.brier<@production'). \
            A gate against an alias that holds no version passes. Exit status 1, with the failing gates, \
            when the promotion is refused.
            """
    )

    /// What --require-better-than compares by default: every built artifact with a blend has it.
    static let defaultBetterOn = "long/blend.auc"

    @Argument(help: "The model name.") var name: String
    @Argument(help: "The version to promote.") var version: Int

    @Option(help: "The alias to move.") var to: String

    @Option(name: .customLong("require"), help: ArgumentHelp("A gate, e.g. 'holdout/long/blend.auc>=0.55' (repeatable).", valueName: "gate"))
    var gates: [String] = []

    @Option(help: ArgumentHelp("Require the version to beat the holder of this alias on the --better-on metrics.", valueName: "alias"))
    var requireBetterThan: String?

    @Option(help: ArgumentHelp("Metric that --require-better-than compares, higher is better (repeatable; default \(Self.defaultBetterOn)).", valueName: "metric"))
    var betterOn: [String] = []

    @OptionGroup var options: RegistryOptions

    func run() throws {
        var parsed = try gates.map { try MetricGate(parsing: $0) }
        if let alias = requireBetterThan {
            parsed += try (betterOn.isEmpty ? [Self.defaultBetterOn] : betterOn).map { try MetricGate(parsing: "\($0)>@\(alias)") }
        }
        let outcome = try options.open().promote(name: name, version: version, to: to, gates: parsed)
        try options.emit(outcome) {
            let gateLines = outcome.gates.map { "  \($0.passed ? "pass" : "FAIL")  \($0.detail)" }
            let head = outcome.promoted
                ? (outcome.move.map { "promoted \(name)@\(version) to \(to) (was \($0.from.map(String.init) ?? "none"))" } ?? "\(name)@\(to) already is \(version)")
                : "refused to promote \(name)@\(version) to \(to)"
            return ([head] + gateLines).joined(separator: "\n")
        }
        guard outcome.promoted else {
            FileHandle.standardError.write(Data("refused: \(outcome.reason ?? "gates failed")\n".utf8))
            throw ExitCode.failure
        }
    }
}
