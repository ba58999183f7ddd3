import ArgumentParser
import ModelcRegistry

struct RegistryDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two versions side by side: info, features, architecture, sizes and metrics.",
        discussion: "Rows that differ are marked with '*'."
    )

    @Argument(help: "The first version (NAME, NAME@VERSION or NAME@ALIAS).")
    var a: ModelRef

    @Argument(help: "The second version.")
    var b: ModelRef

    @Flag(help: "Show only the rows that differ.")
    var changed = false

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let registry = try options.open()
        let ra = try registry.resolve(a), rb = try registry.resolve(b)
        let full = ArtifactDiff(a: ra.ref, try registry.summary(ra), b: rb.ref, try registry.summary(rb))
        let diff = changed ? full.onlyChanged : full
        try options.emit(diff) {
            diff.sections.map { section in
                section.title + "\n" + RegistryTable.render(
                    header: ["", "", diff.a, diff.b],
                    rows: section.rows.map { [$0.changed ? "*" : " ", $0.key, $0.a ?? "-", $0.b ?? "-"] })
            }.joined(separator: "\n\n") + "\n\n\(diff.changedRows) row(s) differ"
        }
    }
}
