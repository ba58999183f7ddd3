import ArgumentParser
import ModelcFormat
import ModelcRegistry

struct RegistryShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one version: lineage, aliases, metrics and what its artifact holds.",
        discussion: "Refused when the version's blob no longer matches its digest."
    )

    @Argument(help: "NAME, NAME@VERSION or NAME@ALIAS.")
    var ref: ModelRef

    @OptionGroup var options: RegistryOptions

    private struct Shown: Encodable {
        var record: VersionRecord
        var artifact: ArtifactSummary
    }

    func run() throws {
        let registry = try options.open()
        let record = try registry.resolve(ref)
        let summary = try registry.summary(record)
        try options.emit(Shown(record: record, artifact: summary)) {
            let components = summary.components.map { "\($0.name) (\($0.role), \($0.members.count) member(s))" }
            return RegistryTable.fields([
                ("version", record.ref), ("aliases", record.aliases.isEmpty ? "-" : record.aliases.joined(separator: ", ")),
                ("parent", record.parent.map { "\(record.name)@\($0)" } ?? "-"),
                ("pushed", "\(record.pushedAt) by \(record.pushedBy)"),
                ("blob", "sha256:\(record.sha256) (\(record.size) bytes)"),
                ("signed by", record.signedBy ?? "unsigned"),
                ("model", "\(record.modelName) \(record.modelVersion), created \(summary.info.created)"),
                ("producer", "\(summary.info.producer) \(record.producerVersion)"),
                ("data", record.dataDigest.isEmpty ? "-" : record.dataDigest),
                ("config", record.configDigest.isEmpty ? "-" : record.configDigest),
                ("features", "\(summary.features.count), interval \(summary.intervalSeconds) s, warm-up \(summary.warmup)"),
                ("components", components.joined(separator: "; ")),
                ("parameters", "\(summary.totalParameters) (\(summary.tensorBytes) tensor bytes)"),
                ("metrics", RegistryTable.metrics(record.metrics)),
            ])
        }
    }
}
