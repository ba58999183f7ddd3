import ArgumentParser
import Foundation
import ModelcFormat
import ModelcRuntime

/// Shows what an artifact holds.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show an artifact's header, model info, features, components, tensors and model card.",
        discussion: "Exit status: 0 when the artifact is valid, 1 when it cannot be read or is refused (the message says why)."
    )

    @Argument(help: "The .modelc artifact.")
    var file: String

    @Flag(help: "Print JSON for scripts instead of tables.")
    var json = false

    func run() throws {
        let artifact = try Artifact(path: file)
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let summary = ArtifactSummary(artifact, file: file, fileBytes: size)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(SummaryTable.render(summary))
        }
    }
}
