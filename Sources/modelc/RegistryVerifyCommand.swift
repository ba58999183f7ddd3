import ArgumentParser
import ModelcRegistry

struct RegistryVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every blob's digest and every version's blob; exit status 1 when anything is damaged.",
        discussion: """
            While the registry trusts keys (see 'registry trust'), every version's signature is checked too: versions \
            that are unsigned, signed by an untrusted key, or whose signature does not verify are listed, and the exit \
            status is 1. Unreferenced blobs and temporary files left by interrupted pushes are listed for gc; they are \
            not damage.
            """
    )

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let report = try options.open().verify()
        try options.emit(report) {
            let found = report.problems.count + report.signatureProblems.count
            let signatures = report.signaturesRequired ? " and signatures" : ""
            var lines = ["checked \(report.versionsChecked) version(s)\(signatures) and \(report.blobsChecked) blob(s): \(report.ok ? "ok" : "\(found) problem(s)")"]
            lines += report.problems.map { "  problem: \($0)" }
            lines += report.signatureProblems.map { "  signature: \($0) (export refuses it)" }
            lines += report.unreferencedBlobs.map { "  unreferenced (gc removes it): \($0)" }
            lines += report.temporaryFiles.map { "  temporary file (gc removes it): \($0)" }
            return lines.joined(separator: "\n")
        }
        if !report.ok { throw ExitCode.failure }
    }
}
