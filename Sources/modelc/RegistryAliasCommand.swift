import ArgumentParser
import ModelcRegistry

struct RegistryAliasCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alias",
        abstract: "Point aliases such as staging at versions, or remove them.",
        subcommands: [RegistryAliasSetCommand.self, RegistryAliasRemoveCommand.self]
    )
}

struct RegistryAliasSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Point ALIAS of NAME at VERSION, without gates (use promote for gated moves). The move is recorded."
    )

    @Argument(help: "The model name.") var name: String
    @Argument(help: "The version number.") var version: Int
    @Argument(help: "The alias (starts with a letter), e.g. staging.") var alias: String

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let move = try options.open().setAlias(alias, name: name, version: version)
        try options.emit(move) {
            move.map { "\(name)@\(alias): \($0.change)" } ?? "\(name)@\(alias) already is \(version)"
        }
    }
}

struct RegistryAliasRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove ALIAS of NAME; NAME@ALIAS then names nothing. The removal is recorded."
    )

    @Argument(help: "The model name.") var name: String
    @Argument(help: "The alias.") var alias: String

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let move = try options.open().removeAlias(alias, name: name)
        try options.emit(move) { "\(name)@\(alias): \(move.change)" }
    }
}
