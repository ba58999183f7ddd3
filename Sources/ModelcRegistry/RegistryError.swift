import ModelcFormat

/// Why a registry operation was refused. Each description names the model, version, file or
/// blob involved and says what to do where there is something to do.
public enum RegistryError: Error, Equatable, CustomStringConvertible {
    case invalidName(String, reason: String)
    case invalidReference(String, reason: String)
    case invalidGate(String, reason: String)
    case notFound(String)
    case invalidArtifact(path: String, reason: String)
    case signatureRefused(what: String, SigningError)
    case corruptBlob(sha256: String, path: String, reason: String)
    case noEarlierHolder(name: String, alias: String, version: Int)
    case newerSchema(path: String, found: Int, supported: Int)
    case noRegistry(RegistryLocation)
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidName(let name, let reason): "invalid name '\(name)': \(reason)"
        case .invalidReference(let text, let reason): "invalid reference '\(text)': \(reason)"
        case .invalidGate(let text, let reason): "invalid gate '\(text)': \(reason)"
        case .notFound(let what): "\(what) not found"
        case .invalidArtifact(let path, let reason): "\(path): not a valid artifact: \(reason)"
        case .signatureRefused(let what, let error):
            "\(what): refused, this registry requires a signature by a trusted key: \(error)"
        case .corruptBlob(let sha, let path, let reason):
            "blob sha256:\(sha) (\(path)) is corrupt: \(reason); run 'modelc registry verify', then push the artifact again to repair it"
        case .noEarlierHolder(let name, let alias, let version):
            "\(name)@\(alias) is at version \(version) and has no earlier holder to roll back to"
        case .newerSchema(let path, let found, let supported):
            "\(path): registry schema \(found) is newer than this modelc understands (\(supported)); upgrade modelc"
        case .noRegistry(let location):
            "no registry at \(location.path) (from \(location.source.rawValue)); check the path, or push an artifact or add a trusted key to create one"
        case .io(let path, let reason): "\(path): \(reason)"
        }
    }
}
