import ArgumentParser
import ModelcFiles
import ModelcFormat
import ModelcPipeline

/// `modelc report`: writes an artifact's model card as one self-contained HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render an artifact's model card as one self-contained HTML file (inline CSS and SVG, no network).",
        discussion: "Shows lineage, components, the backtest's equity and drawdown, walk-forward windows, metrics, calibration, "
            + "feature importance, quantization fidelity and notes. The same artifact always gives the same bytes."
    )

    @Argument(help: "The .modelc artifact.")
    var artifact: String

    @Option(name: .shortAndLong, help: "Where to write the HTML report.")
    var output: String

    func run() throws {
        let model = try Artifact(path: artifact).model
        let html = ModelReport.html(model)
        try AtomicFile.write(Array(html.utf8), to: output)
        print("wrote \(output): \(html.utf8.count) bytes\(model.hasCard ? "" : " (the artifact has no model card)")")
    }
}
