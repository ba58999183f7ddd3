import ArgumentParser
import ModelcRegistry

struct RegistryListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the models, or the versions of one model."
    )

    @Argument(help: "A model name: list its versions.")
    var name: String?

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let registry = try options.open()
        if let name {
            let versions = try registry.versions(of: name)
            try options.emit(versions) {
                RegistryTable.render(
                    header: ["version", "pushed", "by", "bytes", "sha256", "parent", "model", "aliases"],
                    rows: versions.map {
                        ["\($0.version)", $0.pushedAt, $0.pushedBy, "\($0.size)", String($0.sha256.prefix(12)),
                         $0.parent.map(String.init) ?? "-", "\($0.modelName) \($0.modelVersion)", $0.aliases.joined(separator: ", ")]
                    })
            }
        } else {
            let names = try registry.names()
            try options.emit(names) {
                RegistryTable.render(
                    header: ["name", "versions", "latest", "aliases"],
                    rows: names.map {
                        [$0.name, "\($0.versions)", "\($0.latest)",
                         $0.aliases.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")]
                    })
            }
        }
    }
}
