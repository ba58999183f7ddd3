import ArgumentParser
import ModelcCompiler
import ModelcFiles
import ModelcFormat
import ModelcRuntime

/// Writes the random-weight demonstration artifact.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Write a small random-weight demo artifact (a format demonstration, not a trading model)."
    )

    @Option(name: .shortAndLong, help: "Where to write the artifact.")
    var output: String = "demo.modelc"

    @Option(help: "Seed for the random weights; the same seed writes the same bytes.")
    var seed: UInt64 = 42

    @Option(help: "Body compression: zstd or none.")
    var compression: CompressionChoice = .zstd

    func run() throws {
        let bytes = try ArtifactWriter.encode(DemoModel.make(seed: seed), compression: compression.value)
        try AtomicFile.write(bytes, to: output)
        print("wrote \(output) (\(bytes.count) bytes)")
    }
}

enum CompressionChoice: String, ExpressibleByArgument, CaseIterable {
    case zstd, none

    var value: BodyCompression { self == .zstd ? .zstd : .none }
}
