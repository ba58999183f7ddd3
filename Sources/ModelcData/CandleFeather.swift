import CArrowIPC
import ModelcRuntime

/// Candles in an Apache Arrow IPC file, "feather" v2: freqtrade's default data format
/// (`to_feather(compression="lz4")` of columns date, open, high, low, close, volume) and what
/// pandas' `to_feather` writes, with buffers uncompressed or compressed with lz4 or zstd. The
/// columns are found by name as in a CSV header (`CandleColumns`); any others are ignored. The
/// time column is an Arrow timestamp with a time zone (its values count from the epoch in UTC
/// whatever the zone) or integer unix times (unit told by magnitude, as in JSON); prices and
/// volume are float64, float32 or integers. CArrowIPC decodes the file; a row with a null is a
/// problem named by its row, as in JSON.
public enum CandleFeather {
    /// The first (and last) six bytes of an Arrow IPC file.
    static let magic = Array("ARROW1".utf8)

    /// Reads the bytes of a feather file; `file` names it in messages.
    public static func parse(_ bytes: [UInt8], file: String) throws(CandleDataError) -> CandleTable {
        let result = bytes.withUnsafeBufferPointer { buffer -> Result<CandleTable, CandleDataError> in
            guard let handle = arrow_ipc_open(buffer.baseAddress, buffer.count) else {
                return .failure(.io(file: file, reason: "cannot be read: out of memory"))
            }
            defer { arrow_ipc_close(handle) }
            return Result { () throws(CandleDataError) in try table(handle, file: file) }
        }
        return try result.get()
    }

    private static func table(_ handle: OpaquePointer, file: String) throws(CandleDataError) -> CandleTable {
        func fail(_ message: String) -> CandleDataError { .format(file: file, line: nil, message: message) }
        if let error = arrow_ipc_error(handle) { throw fail(String(cString: error)) }
        let names = (0..<arrow_ipc_column_count(handle)).map { String(cString: arrow_ipc_column_name(handle, $0)) }
        let types = (0..<arrow_ipc_column_count(handle)).map { String(cString: arrow_ipc_column_type(handle, $0)) }
        let positions: [Int]
        switch CandleColumns.find(in: names, holder: "the file's columns") {
        case .success(let found): positions = found
        case .failure(let error): throw fail(error.message)
        }
        let rows = Int(arrow_ipc_row_count(handle))
        guard rows > 0 else { throw fail("holds no candles (its columns have no rows)") }
        func column(_ role: Int) -> String { "column \"\(names[positions[role]])\" (\(types[positions[role]]))" }

        let time = positions[0]
        let form: TimestampFormat
        var stamps: [Int64] = [], stampValid: [UInt8] = []
        switch arrow_ipc_column_kind(handle, time) {
        case ARROW_IPC_TIMESTAMP:
            guard arrow_ipc_timestamp_zone(handle, time).pointee != 0 else {
                throw fail("\(column(0)) holds times without a time zone; modelc reads UTC times, so give them one "
                    + "(pandas: df[\"\(names[time])\"] = df[\"\(names[time])\"].dt.tz_localize(\"UTC\"))")
            }
            (stamps, stampValid) = try read(handle, time, arrow_ipc_read_int64, rows: rows, fail: fail)
            form = [.unixSeconds, .unixMilliseconds, .unixMicroseconds, .unixNanoseconds][Int(arrow_ipc_timestamp_unit(handle, time))]
        case ARROW_IPC_INTEGER:
            (stamps, stampValid) = try read(handle, time, arrow_ipc_read_int64, rows: rows, fail: fail)
            form = stamps.indices.first { stampValid[$0] != 0 }.map { TimestampFormat.unit(of: stamps[$0]) } ?? .unixSeconds
        default:
            throw fail("\(column(0)) is not a time; it must be an Arrow timestamp with a time zone (pandas: datetime64 in UTC) or integer unix times")
        }
        var values: [[Double]] = [], valueValid: [[UInt8]] = []
        for role in 1..<6 {
            let kind = arrow_ipc_column_kind(handle, positions[role])
            guard kind == ARROW_IPC_FLOAT || kind == ARROW_IPC_INTEGER else {
                throw fail("\(column(role)) is not numeric; \(CandleCSV.columns[role]) must be float64 (float32 and integers are read too)")
            }
            let (numbers, valid) = try read(handle, positions[role], arrow_ipc_read_float64, rows: rows, fail: fail)
            values.append(numbers)
            valueValid.append(valid)
        }

        var candles: [Candle] = []
        candles.reserveCapacity(rows)
        var malformed = ProblemLog()
        for i in 0..<rows {
            var errors: [String] = []
            var timestamp: Int64?
            if stampValid[i] == 0 {
                errors.append("\(names[time]) is null")
            } else {
                switch form.seconds(fromUnix: stamps[i]) {
                case .success(let seconds): timestamp = seconds
                case .failure(let error): errors.append("\(names[time]) \(stamps[i]) \(error.message)")
                }
            }
            for role in 1..<6 where valueValid[role - 1][i] == 0 {
                errors.append("\(CandleCSV.columns[role]) is null")
            }
            if let timestamp, errors.isEmpty {
                candles.append(Candle(timestamp: timestamp, open: values[0][i], high: values[1][i], low: values[2][i], close: values[3][i], volume: values[4][i]))
            } else {
                malformed.add(CandleProblem(kind: .malformedRow, row: i + 1, line: nil, timestamp: timestamp, message: errors.joined(separator: "; ")))
            }
        }
        let compression = String(cString: arrow_ipc_compression(handle))
        let layout = "columns " + positions.map { "\(names[$0]) \(types[$0])" }.joined(separator: ", ")
            + CandleColumns.ignoredNote(names, positions: positions) + (compression.isEmpty ? "" : "; \(compression)-compressed")
        return CandleTable(file: file, container: .feather, candles: candles, lines: [], timestampFormat: form,
                           rowCount: rows, malformed: malformed, layout: layout)
    }

    /// One column decoded by `reader` (arrow_ipc_read_int64 or _float64), copied out of the
    /// handle, with one byte per row saying whether it holds a value.
    private static func read<T>(
        _ handle: OpaquePointer, _ column: Int,
        _ reader: (OpaquePointer?, Int, UnsafeMutablePointer<UnsafePointer<T>?>?, UnsafeMutablePointer<UnsafePointer<UInt8>?>?) -> Bool,
        rows: Int, fail: (String) -> CandleDataError
    ) throws(CandleDataError) -> ([T], [UInt8]) {
        var values: UnsafePointer<T>?
        var valid: UnsafePointer<UInt8>?
        guard reader(handle, column, &values, &valid), let values, let valid else {
            throw fail(arrow_ipc_error(handle).map { String(cString: $0) } ?? "cannot be read")
        }
        return (Array(UnsafeBufferPointer(start: values, count: rows)), Array(UnsafeBufferPointer(start: valid, count: rows)))
    }
}
