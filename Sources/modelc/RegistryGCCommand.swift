import ArgumentParser
import ModelcRegistry

struct RegistryGCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Remove blobs no version references and stale temporary files (a dry run unless --apply)."
    )

    @Flag(help: "Remove them; without it, only list them.") var apply = false

    @Option(help: "Only remove temporary files older than this many seconds (younger ones may belong to a running push).")
    var temporaryAge: Double = 3600

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let report = try options.open().collectGarbage(apply: apply, temporaryFileAge: temporaryAge)
        try options.emit(report) {
            let verb = apply ? "removed" : "would remove"
            var lines = ["\(verb) \(report.blobs.count) blob(s) and \(report.temporaryFiles.count) temporary file(s), \(report.bytes) bytes"]
            lines += (report.blobs + report.temporaryFiles).map { "  \($0)" }
            if !apply && report.bytes > 0 { lines.append("run again with --apply to remove them") }
            return lines.joined(separator: "\n")
        }
    }
}
