import ArgumentParser
import ModelcRegistry

struct RegistryExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the artifact a version or alias names to a file, atomically replacing it.",
        discussion: """
            A bot watching PATH sees the old artifact or the new one, never a partial file. Refused when the blob \
            no longer matches its digest, or when the registry trusts keys and the artifact lacks a valid \
            signature by one of them.
            """
    )

    @Argument(help: "NAME, NAME@VERSION or NAME@ALIAS, e.g. btc-dual@production.") var ref: ModelRef
    @Argument(help: "The file to write.") var path: String

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let record = try options.open().export(ref, to: path)
        try options.emit(record) { "exported \(record.ref) (sha256:\(record.sha256.prefix(16)), \(record.size) bytes) to \(path)" }
    }
}
