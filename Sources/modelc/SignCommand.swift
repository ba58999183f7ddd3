import ArgumentParser
import Foundation
import ModelcFiles
import ModelcFormat

/// `modelc sign`: puts an ed25519 signature into an artifact's header.
struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign an artifact with a private key (replaces the file atomically, or writes --output).",
        discussion: "The signature covers the whole header (format version, capabilities, lengths, checksum) and every body byte; any change invalidates it."
    )

    @Argument(help: "The .modelc artifact.") var artifact: String

    @Option(help: ArgumentHelp("The private key file (NAME.key from 'modelc keys generate').", valueName: "file"))
    var key: String

    @Option(name: .shortAndLong, help: "Write the signed artifact here instead of replacing the input.")
    var output: String?

    func run() throws {
        let signingKey = try ArtifactSigningKey(path: key)
        guard let data = FileManager.default.contents(atPath: artifact) else {
            throw ValidationError("\(artifact): cannot read the artifact")
        }
        let signed: [UInt8]
        do {
            signed = try ArtifactSigner.sign([UInt8](data), with: signingKey)
        } catch {
            throw SigningError.io(path: artifact, reason: "\(error)")
        }
        let target = output ?? artifact
        try AtomicFile.write(signed, to: target)
        print("signed \(target) with key \(signingKey.publicKey.keyID)")
    }
}
