import SwiftProtobuf

extension Modelc_Header {
    /// `H'` (Spec.md §12.1): this header with its signature slot removed, encoded deterministically
    /// (known fields in field-number order, defaults omitted, unknown fields after them as read).
    /// What a signature covers, and what the runtime's `mc_artifact_signature` must give byte for
    /// byte (`ReaderAgreement` checks it on every fuzz input).
    public var unsignedBytes: [UInt8] {
        var unsigned = self
        unsigned.clearSignature()
        var options = BinaryEncodingOptions()
        options.useDeterministicOrdering = true
        return try! unsigned.serializedBytes(options: options)  // a Header has no required fields
    }
}
