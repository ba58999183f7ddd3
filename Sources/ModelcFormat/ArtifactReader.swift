import Foundation
import ModelcRuntime
import SwiftProtobuf

/// An artifact read on the Swift side: validated by the runtime's loader (the one
/// implementation of every check), then decoded with swift-protobuf for tools that need the
/// whole body, such as `modelc inspect` and the registry.
public struct Artifact {
    public let header: ArtifactHeader
    public let model: Modelc_Model
    /// The runtime's validated view of the same bytes.
    public let loaded: LoadedModel
    /// For a signed artifact, the key id of its signature when the signature verifies against the
    /// key it carries (integrity, not who signed: `modelc verify --key` checks that), or why it
    /// does not; nil when unsigned.
    public let signatureCheck: Result<String, SigningError>?

    public init(bytes: [UInt8]) throws(ModelcError) {
        let loaded = try ModelLoader.load(bytes)
        let (_, body) = try ArtifactFrame.open(bytes)
        do {
            model = try Modelc_Model(serializedBytes: body)
        } catch {
            throw ModelcError(.invalidBody, "body is not a valid Model message: \(error)")
        }
        header = loaded.header
        self.loaded = loaded
        signatureCheck = header.isSigned
            ? Result { () throws(SigningError) in try ArtifactSigner.verify(bytes, trusting: nil).keyID } : nil
    }

    /// Reads and validates the artifact at `path`; errors name the file.
    public init(path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelcError(.io, "\(path): cannot read: \((error as NSError).localizedDescription)")
        }
        do {
            try self.init(bytes: [UInt8](data))
        } catch {
            throw ModelcError(error.code, "\(path): \(error.message)")
        }
    }
}

extension ModelcError: CustomStringConvertible {
    public var description: String { message }
}
