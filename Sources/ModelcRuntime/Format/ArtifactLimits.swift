/// What an untrusted artifact may ask of a reader (Spec.md §6). Each limit is checked before the
/// allocation or loop it bounds, so a hostile or damaged file costs at most memory proportional
/// to its size and time proportional to the model it describes.
public enum ArtifactLimits {
    /// Decompressed body bytes per stored byte (plus `compressionAllowance`): a zstd bomb is
    /// refused before its output buffer is allocated.
    public static let maxCompressionRatio: UInt64 = 1024
    public static let compressionAllowance: UInt64 = 1 << 20
    /// Bytes protobuf-c may allocate while parsing a body, per body byte (plus `parseAllowance`).
    /// A packed varint grows at most 8-fold in memory; an empty sub-message costs a struct.
    public static let parseBytesPerBodyByte = 16
    public static let parseAllowance = 16 << 20

    public static let maxTensors = 4096
    public static let maxTensorRank = 8
    /// Elements of one tensor (each dimension is bounded by it too).
    public static let maxTensorElements: UInt64 = 1 << 31
    public static let maxFeatures = 1024
    public static let maxComponents = 64
    public static let maxMembers = 64
    public static let maxLayers = 64
    /// Width of any network dimension: inputs, hidden units, embedding, outputs, heads.
    public static let maxWidth = 65_536
    /// Timesteps a component reads (`input.window`, `sequence_length`).
    public static let maxWindow = 4096
    /// Candles of feature warm-up.
    public static let maxWarmup = 1_000_000
    public static let maxTrees = 100_000
    /// Classes of a multiclass tree ensemble (its softmax runs over this many margins).
    public static let maxTreeClasses = 256
    public static let maxTreeNodes = 1 << 24
    public static let maxTreeDepth = 1024
    /// Knots of an isotonic calibrator (Spec.md §4.9).
    public static let maxCalibrationKnots = 4096
    /// Components one direction of a specialists blend reads.
    public static let maxBlendInputs = 16
    /// Candles a specialists blend holds a position after an entry signal.
    public static let maxHold = 10_000
    /// Bytes of any name or info string the runtime reads.
    public static let maxStringBytes = 1024
}
