/// The spelling rules for model names and aliases. Aliases start with a letter so that
/// `NAME@3` can only mean version 3; `latest` is reserved for the newest version.
enum RegistryNames {
    static let reservedAliases: Set<String> = ["latest"]

    static func checkModelName(_ name: String) throws(RegistryError) {
        guard !name.isEmpty, name.utf8.count <= 128 else {
            throw .invalidName(name, reason: "a model name has 1 to 128 characters")
        }
        guard name.first.map(isAlphanumeric) == true, name.allSatisfy({ isAlphanumeric($0) || "._-".contains($0) }) else {
            throw .invalidName(name, reason: "use letters, digits, '.', '_' and '-', starting with a letter or digit")
        }
    }

    static func checkAlias(_ alias: String) throws(RegistryError) {
        guard !alias.isEmpty, alias.utf8.count <= 64,
              alias.first.map({ $0.isASCII && $0.isLetter }) == true,
              alias.allSatisfy({ isAlphanumeric($0) || "._-".contains($0) }) else {
            throw .invalidName(alias, reason: "an alias has 1 to 64 letters, digits, '.', '_' or '-', starting with a letter")
        }
        guard !reservedAliases.contains(alias) else {
            throw .invalidName(alias, reason: "'\(alias)' is reserved: it always means the newest version")
        }
    }

    private static func isAlphanumeric(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
}
