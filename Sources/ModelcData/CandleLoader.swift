import Foundation
import ModelcRuntime

/// Validated candles ready for training: no problems, gaps known, gap-free runs computed.
public struct LoadedCandles: Sendable {
    public let candles: [Candle]
    /// Seconds between candles.
    public let interval: Int64
    /// Maximal gap-free index ranges (see `CandleRuns`).
    public let runs: [Range<Int>]
    public let metadata: CandleMetadata
    /// What validation found (clean, by construction); gaps and zero-volume counts are here.
    public let report: CandleCheckReport
}

/// Entry points for candle files: HDF5 (told by its signature at byte 0), Arrow IPC / feather
/// (`ARROW1`), JSON candle lists (first non-blank byte `[` or `{`), or CSV; any but HDF5 may be
/// gzipped. Other formats people keep candles in are named in the refusal (`ForeignCandleFormat`).
public enum CandleLoader {
    /// HDF5's 8-byte format signature.
    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads a CSV, JSON, HDF5 or feather candle file (all but HDF5 gzipped or not) without validating it.
    public static func read(path: String) throws(CandleDataError) -> CandleTable {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .io(file: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot read: permission denied" : "cannot read: no such file")
        }
        let head = [UInt8]((try? handle.read(upToCount: ForeignCandleFormat.headLength)) ?? nil ?? Data())
        try? handle.close()
        if head.starts(with: hdf5Signature) {
            return try CandleHDF5.read(path: path)
        }
        if let refusal = ForeignCandleFormat.refusal(head: head) {
            throw .format(file: path, line: nil, message: refusal)
        }
        var bytes = try CandleCSV.readTerminated(path)
        guard bytes.starts(with: Gzip.magic) else { return try parse(&bytes, file: path) }
        bytes.removeLast()
        switch Gzip.inflate(bytes) {
        case .success(let inflated): bytes = inflated
        case .failure(let error): throw .format(file: path, line: nil, message: error.message)
        }
        if let refusal = ForeignCandleFormat.refusal(head: Array(bytes.prefix(ForeignCandleFormat.headLength))) {
            throw .format(file: path, line: nil, message: "inflated, \(refusal)")
        }
        bytes.append(0)
        var table = try parse(&bytes, file: path)
        table.layout = table.layout.isEmpty ? "gzip" : "gzip; " + table.layout
        return table
    }

    /// A feather file, or JSON or CSV text, followed by one NUL (see `CandleCSV.parse(terminated:file:)`).
    static func parse(_ bytes: inout [UInt8], file: String) throws(CandleDataError) -> CandleTable {
        if bytes.starts(with: CandleFeather.magic) {
            return try CandleFeather.parse(Array(bytes.dropLast()), file: file)
        }
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        if let first = bytes[start...].first(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }),
           first == UInt8(ascii: "[") || first == UInt8(ascii: "{") {
            return try CandleJSON.parse(Array(bytes[start..<(bytes.count - 1)]), file: file)
        }
        return try CandleCSV.parse(terminated: &bytes, file: file)
    }

    /// Reads and validates a file; the report lists its problems (if any) and gaps.
    public static func check(path: String, interval: Int64? = nil, capacity: Int = ProblemLog.defaultCapacity) throws(CandleDataError) -> CandleCheckReport {
        try CandleValidator.check(read(path: path), interval: interval, capacity: capacity)
    }

    /// Reads candles for training: refuses a file with any problem (`.rejected`, listing the
    /// first few) or whose interval cannot be known, and splits the rest into gap-free runs.
    public static func load(path: String, interval: Int64? = nil) throws(CandleDataError) -> LoadedCandles {
        let table = try read(path: path)
        let report = try CandleValidator.check(table, interval: interval)
        guard report.isClean else { throw .rejected(report) }
        guard let interval = report.interval else {
            throw .interval(file: path, message: "cannot infer the candle interval from \(table.candles.count) row(s); give it (--interval SECONDS, or `interval` in the config)")
        }
        return LoadedCandles(candles: table.candles, interval: interval, runs: CandleRuns.runs(of: table.candles, interval: interval),
                             metadata: table.metadata, report: report)
    }
}
