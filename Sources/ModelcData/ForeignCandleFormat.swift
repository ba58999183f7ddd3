import ModelcRuntime

/// File formats people keep candles in that modelc does not read (freqtrade's parquet, feather v1
/// and Arrow IPC streams, archives, a model artifact given by mistake), recognised by their first
/// bytes so the refusal names the format and how to convert it, instead of echoing binary as a
/// CSV header.
enum ForeignCandleFormat {
    /// Bytes `CandleLoader` reads to tell a file's format.
    static let headLength = 16

    /// What `head` (a file's first bytes) says the file is, and how to make a file modelc reads
    /// of it; nil for anything that may be a CSV, a JSON list or gzip.
    static func refusal(head: [UInt8]) -> String? {
        func starts(_ magic: [UInt8]) -> Bool { head.starts(with: magic) }
        let kind: String, convert: String
        if starts(Array("FEA1".utf8)) {
            (kind, convert) = ("a feather v1 file (Arrow's format before 0.17)", "pandas: pandas.read_feather(\"IN\").to_feather(\"OUT.feather\")")
        } else if starts([0xFF, 0xFF, 0xFF, 0xFF]) {
            (kind, convert) = ("an Apache Arrow IPC stream (no footer)",
                               "pyarrow: pyarrow.feather.write_feather(pyarrow.ipc.open_stream(\"IN\").read_all(), \"OUT.feather\")")
        } else if starts(Array("PAR1".utf8)) {
            (kind, convert) = ("an Apache Parquet file", "pandas: pandas.read_parquet(\"IN\").to_feather(\"OUT.feather\")")
        } else if starts(ArtifactFormat.magic) {
            return "is a modelc artifact, not candles; give the candle file (CSV, JSON, feather or HDF5) after the artifact"
        } else if starts([0x50, 0x4B, 0x03, 0x04]) {
            (kind, convert) = ("a ZIP archive (Binance's downloads are zipped CSV: unzip it first)", "unzip")
        } else if starts([0x28, 0xB5, 0x2F, 0xFD]) || starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) || starts(Array("BZh".utf8)) {
            (kind, convert) = ("a compressed file (zstd, xz or bzip2)", "its decompressor")
        } else {
            return nil
        }
        return "is \(kind); modelc reads CSV, JSON, feather (Arrow IPC files; these gzipped or not) and HDF5 candles — convert it with \(convert) (Spec.md §11)"
    }
}
