import ArgumentParser
import Foundation
import ModelcFormat

/// `modelc verify`: checks an artifact's signature against trusted public keys.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that an artifact is intact and signed by one of the given public keys.",
        discussion: "Exit status: 0 when the signature is valid, 1 otherwise, with the reason (unsigned, unknown key, changed after signing, unreadable)."
    )

    @Argument(help: "The .modelc artifact.") var artifact: String

    @Option(help: ArgumentHelp("A trusted public key file (repeatable).", valueName: "file"))
    var pub: [String]

    func validate() throws {
        guard !pub.isEmpty else { throw ValidationError("give at least one trusted public key with --pub") }
    }

    func run() throws {
        let keys = try pub.map { try ArtifactPublicKey(path: $0) }
        guard let data = FileManager.default.contents(atPath: artifact) else {
            throw SigningError.io(path: artifact, reason: "cannot read the artifact")
        }
        let bytes = [UInt8](data)
        do {
            let key = try ArtifactSigner.verify(bytes, trusting: keys)
            _ = try Artifact(bytes: bytes)
            print("\(artifact): valid signature by key \(key.keyID)")
        } catch {
            throw SigningError.io(path: artifact, reason: "\(error)")
        }
    }
}
