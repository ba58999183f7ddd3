import ArgumentParser

/// `modelc import`: compile models trained elsewhere.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Compile a model trained by another library into a .modelc artifact.",
        subcommands: [ImportPyTorchCommand.self]
    )
}
