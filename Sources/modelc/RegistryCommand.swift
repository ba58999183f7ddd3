import ArgumentParser

/// `modelc registry`: versions, aliases, promotion and integrity of stored artifacts.
struct RegistryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Version artifacts, point aliases such as production at them, and export them for bots.",
        discussion: """
            The registry lives in --registry PATH, else $MODELC_REGISTRY, else ~/.modelc/registry.
            Versions are referred to as NAME (the newest), NAME@VERSION or NAME@ALIAS.
            """,
        subcommands: [
            RegistryPushCommand.self, RegistryListCommand.self, RegistryShowCommand.self, RegistryDiffCommand.self,
            RegistryAliasCommand.self, RegistryPromoteCommand.self, RegistryRollbackCommand.self,
            RegistryHistoryCommand.self, RegistryExportCommand.self, RegistryVerifyCommand.self, RegistryGCCommand.self,
            RegistryTrustCommand.self,
        ]
    )
}
