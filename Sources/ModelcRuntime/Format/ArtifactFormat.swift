/// Constants of the `.modelc` framing (Spec.md, "Framing").
public enum ArtifactFormat {
    /// The 8 bytes every artifact starts with: 0x89 "MODELC" "\n". The high first byte and the
    /// newline catch files mangled by text-mode transfers.
    public static let magic: [UInt8] = [0x89, 0x4D, 0x4F, 0x44, 0x45, 0x4C, 0x43, 0x0A]
    /// Magic, then the header's length as a little-endian UInt32.
    public static let prefixLength = 12
    public static let maxHeaderLength = 65_536

    public static let formatMajor: UInt32 = 1
    public static let formatMinor: UInt32 = 1

    /// Largest body this runtime will decompress or parse (bounds the allocation).
    public static let maxBodyLength: UInt64 = 1 << 31

    /// Capabilities a body may require that this reader understands (Spec.md, "Capabilities").
    public static let knownCapabilities: [String] = [
        Capability.sequenceNetwork, Capability.treeEnsemble, Capability.tensorF16, Capability.tensorInt8,
        Capability.calibration, Capability.specialistBlend, Capability.treeMulticlass, Capability.treeAverage,
    ]
}

/// Names of the capabilities defined by formats 1.0 and 1.1 (Spec.md §3.2).
public enum Capability {
    /// 1.1: a component with a calibrator (§4.9).
    public static let calibration = "calibration"
    /// 1.1: a blend in mode BLEND_SPECIALISTS (§4.6.2).
    public static let specialistBlend = "specialist-blend"
    /// A tree ensemble with several classes and the softmax link (Spec.md §9.4).
    public static let treeMulticlass = "tree-multiclass"
    /// A tree ensemble whose sums are averaged over its trees (Spec.md §9.4).
    public static let treeAverage = "tree-average"
    public static let sequenceNetwork = "sequence-network"
    public static let treeEnsemble = "tree-ensemble"
    public static let tensorF16 = "tensor-f16"
    public static let tensorInt8 = "tensor-int8"
}

/// How the body is stored.
public enum BodyCompression: UInt32, Sendable {
    case none = 0
    case zstd = 1
}

/// The artifact header after validation.
public struct ArtifactHeader: Sendable {
    public var formatMajor: UInt32
    public var formatMinor: UInt32
    public var requiredCapabilities: [String]
    public var bodyLength: UInt64
    public var bodyCRC32C: UInt32
    public var compression: BodyCompression
    public var uncompressedLength: UInt64
    public var isSigned: Bool
    /// Bytes from the start of the file to the first byte of the body.
    public var bodyOffset: Int
}
