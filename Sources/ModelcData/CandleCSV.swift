import Foundation
import ModelcRuntime

/// Reads OHLCV candle CSV files: modelc's own (header `timestamp,open,high,low,close,volume`),
/// pandas `to_csv` output (an index column, freqtrade's `date` column, ISO dates), and Binance's
/// kline files with or without their header. Line 1 says where the six fields sit
/// (`CandleColumns`); every row must have as many fields as line 1.
///
/// The reader works on the file's bytes (no String per field, no date formatter per row): a
/// 72k-row file (4.8 MB) loads in a few tens of milliseconds. Rows that cannot be read are
/// collected as problems with their line and row rather than stopping the read, so one run
/// shows everything wrong.
/// Only a header that lacks a field, an empty file or a first row whose timestamp form cannot be
/// told stop it.
public enum CandleCSV {
    /// modelc's own header, and the order of the fields in a `Candle`.
    public static let columns = ["timestamp", "open", "high", "low", "close", "volume"]

    /// Reads and parses a CSV file.
    public static func read(path: String) throws(CandleDataError) -> CandleTable {
        var buffer = try readTerminated(path)
        return try parse(terminated: &buffer, file: path)
    }

    /// Parses CSV bytes; `file` names them in messages.
    public static func parse(_ bytes: [UInt8], file: String) throws(CandleDataError) -> CandleTable {
        var buffer = bytes
        buffer.append(0)
        return try parse(terminated: &buffer, file: file)
    }

    /// Parses bytes followed by one NUL, which lets strtod read fields in place (see
    /// `DecimalField`).
    static func parse(terminated buffer: inout [UInt8], file: String) throws(CandleDataError) -> CandleTable {
        try buffer.withUnsafeBufferPointer { (all) throws(CandleDataError) -> CandleTable in
            var parser = Parser(bytes: all.slice(0, all.count - 1), file: file)
            return try parser.run()
        }
    }

    /// The file's bytes plus a NUL, read straight into one array (no intermediate copies).
    static func readTerminated(_ path: String) throws(CandleDataError) -> [UInt8] {
        func failure() -> CandleDataError { .io(file: path, reason: "cannot read: \(String(cString: strerror(errno)))") }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw failure() }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure() }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .io(file: path, reason: "cannot read: not a regular file") }
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size) + 1)
        var filled = 0
        while filled < buffer.count - 1 {
            let n = buffer.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + filled, $0.count - 1 - filled) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw failure() }
            if n == 0 { break }
            filled += n
        }
        // A file that shrank while being read ends where reading ended.
        buffer.removeSubrange(filled..<(buffer.count - 1))
        return buffer
    }
}

/// read(2), named apart from `CandleCSV.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// One pass over the bytes. Lines end in LF or CRLF; a UTF-8 byte-order mark is skipped; empty
/// lines at the end of the file are ignored, an empty line between rows is a malformed row.
private struct Parser {
    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    var position = 0
    var line = 0

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
    }

    static let lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r"), comma = UInt8(ascii: ",")

    /// The next line without its terminator, or nil at the end of the file.
    mutating func nextLine() -> UnsafeBufferPointer<UInt8>? {
        guard position < bytes.count else { return nil }
        let start = position
        let base = bytes.baseAddress!
        var end = bytes.count
        if let found = memchr(base + start, Int32(Self.lf), bytes.count - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
        position = end + 1
        line += 1
        if end > start && bytes[end - 1] == Self.cr { end -= 1 }
        return bytes.slice(start, end)
    }

    /// Whether only line breaks remain.
    func restIsBlank() -> Bool {
        bytes[position...].allSatisfy { $0 == Self.lf || $0 == Self.cr }
    }

    mutating func run() throws(CandleDataError) -> CandleTable {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        let start = position
        guard let first = nextLine(), !first.isEmpty || !restIsBlank() else {
            throw .format(file: file, line: nil, message: "the file is empty; expected a header line such as \(CandleCSV.columns.joined(separator: ","))")
        }
        let columns: CandleColumns
        switch CandleColumns.read(firstLine: first.split(separator: Self.comma, omittingEmptySubsequences: false).map { UnsafeBufferPointer(rebasing: $0) }) {
        case .success(let found): columns = found
        case .failure(let error): throw .format(file: file, line: 1, message: error.message)
        }
        if !columns.hasHeader {
            // Without a header line 1 is data row 1: read it again as a row.
            position = start
            line = 0
        }
        var roles = [Int](repeating: -1, count: columns.count)
        for (role, index) in columns.positions.enumerated() { roles[index] = role }

        var candles: [Candle] = []
        var lines: [Int32] = []
        candles.reserveCapacity(bytes.count / 48)
        lines.reserveCapacity(bytes.count / 48)
        var malformed = ProblemLog()
        var form: TimestampFormat?
        var rows = 0

        while let text = nextLine() {
            if text.isEmpty && restIsBlank() { break }
            rows += 1
            let row = rows
            guard !text.isEmpty else {
                malformed.add(problem(row, nil, "empty line"))
                continue
            }
            let fields = FieldList(text, roles: roles)
            guard fields.found == columns.count else {
                malformed.add(problem(row, nil, "expected \(columns.count) fields (as line 1), found \(fields.found)"))
                continue
            }
            if form == nil {
                form = TimestampFormat.detect(fields[0])
                guard form != nil else {
                    throw .format(file: file, line: line, message: "cannot tell the timestamp form from \(FieldError.quote(fields[0])) (row \(row)); "
                        + "write ISO-8601 UTC (2017-08-17T04:00:00Z) or unix seconds (1502942400), milliseconds, microseconds or nanoseconds")
                }
            }
            var errors: [String] = []
            var timestamp: Int64?
            switch form!.parse(fields[0]) {
            case .success(let seconds): timestamp = seconds
            case .failure(let error): errors.append("timestamp \(FieldError.quote(fields[0])) \(error.message)")
            }
            var values = InlineArray<6, Double>(repeating: 0)
            for column in 1...5 {
                switch DecimalField.parse(fields[column]) {
                case .success(let value): values[column] = value
                case .failure(let error): errors.append("\(CandleCSV.columns[column]) \(error.message)")
                }
            }
            if let timestamp, errors.isEmpty {
                candles.append(Candle(timestamp: timestamp, open: values[1], high: values[2], low: values[3], close: values[4], volume: values[5]))
                lines.append(Int32(truncatingIfNeeded: line))
            } else {
                malformed.add(problem(row, timestamp, errors.joined(separator: "; ")))
            }
        }
        guard rows > 0 else { throw .format(file: file, line: nil, message: "no data rows after the header") }
        guard let form else {
            let first = malformed.problems.first.map { ": \($0)" } ?? ""
            throw .format(file: file, line: nil, message: "none of the \(rows) data rows could be read\(first)")
        }
        return CandleTable(file: file, container: .csv, candles: candles, lines: lines, timestampFormat: form,
                           rowCount: rows, malformed: malformed, layout: columns.layout, headerLines: columns.hasHeader ? 1 : 0)
    }

    func problem(_ row: Int, _ timestamp: Int64?, _ message: String) -> CandleProblem {
        CandleProblem(kind: .malformedRow, row: row, line: line, timestamp: timestamp, message: message)
    }
}

/// The candle fields of one line, as slices of the file's bytes, in `CandleCSV.columns` order.
private struct FieldList {
    let line: UnsafeBufferPointer<UInt8>
    /// Candle field `k` spans `bounds[2k] ..< bounds[2k + 1]`.
    var bounds = InlineArray<12, Int>(repeating: 0)
    /// How many fields the line has.
    var found = 0

    /// Splits at commas, keeping the fields `roles` (a candle field per column, -1: ignored)
    /// names; `found` counts them all.
    init(_ line: UnsafeBufferPointer<UInt8>, roles: [Int]) {
        self.line = line
        var start = 0
        for i in 0...line.count where i == line.count || line[i] == UInt8(ascii: ",") {
            if found < roles.count, case let role = roles[found], role >= 0 {
                bounds[2 * role] = start
                bounds[2 * role + 1] = i
            }
            found += 1
            start = i + 1
        }
    }

    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        line.slice(bounds[2 * index], bounds[2 * index + 1])
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Bytes `start ..< end` (within bounds) as a buffer: plain pointer arithmetic, which keeps
    /// debug builds (tests) from paying for generic slicing on every field.
    func slice(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        guard let base = baseAddress else { return self }
        return UnsafeBufferPointer(start: base + start, count: end - start)
    }
}
