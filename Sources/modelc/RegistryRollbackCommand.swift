import ArgumentParser
import ModelcRegistry

struct RegistryRollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Move an alias back to the version it held before its last set or promotion.",
        discussion: "Repeated rollbacks walk further back. The move is recorded in the history."
    )

    @Argument(help: "The model name.") var name: String

    @Option(help: "The alias to roll back.") var alias: String = "production"

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let move = try options.open().rollback(name: name, alias: alias)
        try options.emit(move) { "rolled back \(name)@\(alias): \(move.change)" }
    }
}
