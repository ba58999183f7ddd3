import ArgumentParser
import Foundation

/// The `modelc` command line: one small command type per file.
@main
struct Modelc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "modelc",
        abstract: "Compile trading-signal models into one portable artifact, and inspect artifacts.",
        version: ModelcVersionText.text,
        subcommands: [
            InspectCommand.self, ImportCommand.self, ComposeCommand.self, ScoreCommand.self, PredictCommand.self,
            DataCommand.self, FeaturesCommand.self, RegistryCommand.self, KeysCommand.self, SignCommand.self,
            VerifyCommand.self, DemoCommand.self, BuildCommand.self, PlanCommand.self, RunTaskCommand.self, BacktestCommand.self, ReportCommand.self,
        ]
    )

    /// `modelc` alone: the help, on stderr, and the usage exit status (EX_USAGE), so a script
    /// that lost its arguments does not pass.
    func run() throws {
        FileHandle.standardError.write(Data((Self.helpMessage() + "\n").utf8))
        throw ExitCode(64)
    }
}
