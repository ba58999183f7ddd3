import ArgumentParser

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
            VerifyCommand.self, DemoCommand.self, BuildCommand.self, BacktestCommand.self, ReportCommand.self,
        ]
    )
}
