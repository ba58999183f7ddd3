/// Model versions are semver (Spec.md §4.1): `MAJOR.MINOR.PATCH`, numbers without leading
/// zeros, optionally `-prerelease` and `+build` of dot-separated `[0-9A-Za-z-]` identifiers.
public enum SemanticVersion {
    public static func isValid(_ text: String) -> Bool {
        var rest = Substring(text)
        var build: Substring?
        if let plus = rest.firstIndex(of: "+") {
            build = rest[rest.index(after: plus)...]
            rest = rest[..<plus]
        }
        var prerelease: Substring?
        if let dash = rest.firstIndex(of: "-") {
            prerelease = rest[rest.index(after: dash)...]
            rest = rest[..<dash]
        }
        let core = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard core.count == 3, core.allSatisfy(isNumber) else { return false }
        return [prerelease, build].allSatisfy { part in
            part.map { $0.split(separator: ".", omittingEmptySubsequences: false).allSatisfy(isIdentifier) } ?? true
        }
    }

    private static func isNumber(_ s: Substring) -> Bool {
        !s.isEmpty && s.allSatisfy(\.isASCII) && s.allSatisfy(\.isNumber) && (s == "0" || s.first != "0")
    }

    private static func isIdentifier(_ s: Substring) -> Bool {
        !s.isEmpty && s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
    }

    /// The refusal every caller gives.
    public static func problem(_ text: String) -> String {
        "'\(text)' is not a semver version such as 1.0.0 or 0.2.0-rc.1"
    }
}
