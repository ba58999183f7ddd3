import ArgumentParser
import ModelcRegistry

struct RegistryHistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Every alias move of a model: when, who, which alias, from and to, and why."
    )

    @Argument(help: "The model name.") var name: String

    @Option(help: "Only this alias.") var alias: String?

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let moves = try options.open().history(name: name, alias: alias)
        try options.emit(moves) {
            RegistryTable.render(
                header: ["when", "who", "alias", "action", "from", "to", "note"],
                rows: moves.map { [$0.at, $0.by, $0.alias, $0.action, $0.from.map(String.init) ?? "-", $0.to.map(String.init) ?? "-", $0.note] })
        }
    }
}
