import CModelcKernels

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of an artifact's body,
/// computed by `mck_crc32c` (the CPU's crc32 instruction where it has one, tables elsewhere) so
/// the runtime needs nothing beyond libc, zstd and protobuf-c.
public enum CRC32C {
    /// The checksum of `bytes`, continuing from `crc` (the checksum of what came before).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        mck_crc32c(crc, bytes.baseAddress, bytes.count)
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }
}
