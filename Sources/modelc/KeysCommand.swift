import ArgumentParser
import ModelcFormat

/// `modelc keys`: signing keys for artifacts.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create ed25519 keys for signing artifacts.",
        subcommands: [KeysGenerateCommand.self]
    )
}

struct KeysGenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a new ed25519 key pair: NAME.key (private, mode 0600) and NAME.pub (public).",
        discussion: "Give NAME.pub to whoever verifies (modelc verify --pub, modelc registry trust add); keep NAME.key secret."
    )

    @Option(help: ArgumentHelp("The directory to write the keys to (created with mode 0700 if missing).", valueName: "dir"))
    var out: String

    @Option(help: "The key files' base name.")
    var name: String = "modelc"

    @Flag(help: "Replace existing key files.")
    var force = false

    func run() throws {
        let key = ArtifactSigningKey.generate()
        let (priv, pub) = try SigningKeyFiles.write(key, directory: out, name: name, overwrite: force)
        print("wrote \(priv) (private, keep it secret) and \(pub) (public); key id \(key.publicKey.keyID)")
    }
}
