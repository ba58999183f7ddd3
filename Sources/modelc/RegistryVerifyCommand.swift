import ArgumentParser
import ModelcRegistry

struct RegistryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every blob's digest and every version's blob; exit status 1 when anything is damaged.",
        discussion: "Unreferenced blobs and temporary files left by interrupted pushes are listed for gc; they are not damage."
    )

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let report = try options.open().verify()
        try options.emit(report) {
            var lines = ["checked \(report.versionsChecked) version(s) and \(report.blobsChecked) blob(s): \(report.ok ? "ok" : "\(report.problems.count) problem(s)")"]
            lines += report.problems.map { "  problem: \($0)" }
            lines += report.unreferencedBlobs.map { "  unreferenced (gc removes it): \($0)" }
            lines += report.temporaryFiles.map { "  temporary file (gc removes it): \($0)" }
            return lines.joined(separator: "\n")
        }
        if !report.ok { throw ExitCode.failure }
    }
}
