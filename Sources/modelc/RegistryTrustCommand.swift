import ArgumentParser
import ModelcFormat
import ModelcRegistry

struct RegistryTrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Require signatures: while any key is trusted, push and export refuse artifacts not signed by one.",
        subcommands: [RegistryTrustAddCommand.self, RegistryTrustListCommand.self, RegistryTrustRemoveCommand.self]
    )
}

struct RegistryTrustAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Trust a public key (a .pub file from 'modelc keys generate').")

    @Argument(help: "The public key file.") var pub: String

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let key = try ArtifactPublicKey(path: pub)
        let added = try options.open(create: true).trust(key)
        try options.emit(["keyID": key.keyID, "added": added ? "yes" : "no"]) {
            added ? "trusted key \(key.keyID); push and export now require signatures by a trusted key" : "key \(key.keyID) was already trusted"
        }
    }
}

struct RegistryTrustListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the trusted keys.")

    @OptionGroup var options: RegistryOptions

    func run() throws {
        let keys = try options.open().trustedKeys()
        try options.emit(keys) {
            RegistryTable.render(header: ["key id", "added", "by", "public key"],
                                 rows: keys.map { [$0.keyID, $0.addedAt, $0.addedBy, $0.publicKey] })
        }
    }
}

struct RegistryTrustRemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "Stop trusting a key (by key id).")

    @Argument(help: "The key id, as 'trust list' shows it.") var keyID: String

    @OptionGroup var options: RegistryOptions

    func run() throws {
        try options.open().untrust(keyID: keyID)
        try options.emit(["removed": keyID]) { "removed key \(keyID)" }
    }
}
