import ArgumentParser
import ModelcRegistry

struct RegistryPushCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push",
        abstract: "Store artifacts as the next versions of a model (1, 2, 3, ...).",
        discussion: """
            Each artifact is validated, stored once by content (the same bytes pushed twice share one blob) and \
            recorded with its lineage: the parent version (the newest one, or --parent), the data and config \
            digests and producer version from the artifact, who pushed it and when. With --json, prints an array \
            with one result per artifact.
            """
    )

    @Argument(help: "The .modelc artifacts, pushed in order.")
    var artifacts: [String]

    @Option(help: "The model name in the registry (default: the artifact's model name).")
    var name: String?

    @Option(help: "The version this one derives from (default: the newest version).")
    var parent: Int?

    @OptionGroup var options: RegistryOptions

    func validate() throws {
        guard !artifacts.isEmpty else { throw ValidationError("give at least one artifact to push") }
        guard parent == nil || artifacts.count == 1 else { throw ValidationError("--parent applies to a single artifact") }
    }

    func run() throws {
        let registry = try options.open(create: true)
        var results: [PushResult] = []
        for file in artifacts {
            let result = try registry.push(file: file, name: name, parent: parent)
            results.append(result)
            if !options.json {
                let r = result.record
                print("pushed \(file) as \(r.ref) (sha256:\(r.sha256.prefix(16)), \(r.size) bytes\(result.newBlob ? "" : ", same bytes as an earlier push"), parent \(r.parent.map(String.init) ?? "none"))")
            }
        }
        if options.json { try options.emit(results) { "" } }
    }
}
