/// `NAME`, `NAME@VERSION`, `NAME@ALIAS` or `NAME@latest`: how commands name one version.
public struct ModelRef: Equatable, Sendable, CustomStringConvertible {
    public enum Selector: Equatable, Sendable {
        case latest
        case version(Int)
        case alias(String)
    }

    public var name: String
    public var selector: Selector

    public init(name: String, selector: Selector) {
        self.name = name
        self.selector = selector
    }

    public init(parsing text: String) throws(RegistryError) {
        let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        do throws(RegistryError) {
            try RegistryNames.checkModelName(parts[0])
        } catch {
            throw .invalidReference(text, reason: "\(error)")
        }
        name = parts[0]
        guard parts.count == 2 else {
            selector = .latest
            return
        }
        let tail = parts[1]
        if tail == "latest" {
            selector = .latest
        } else if let v = Int(tail) {
            guard v >= 1 else { throw .invalidReference(text, reason: "versions start at 1") }
            selector = .version(v)
        } else {
            do throws(RegistryError) {
                try RegistryNames.checkAlias(tail)
            } catch {
                throw .invalidReference(text, reason: "expected NAME, NAME@VERSION or NAME@ALIAS")
            }
            selector = .alias(tail)
        }
    }

    public var description: String {
        switch selector {
        case .latest: name
        case .version(let v): "\(name)@\(v)"
        case .alias(let a): "\(name)@\(a)"
        }
    }
}
