import Foundation
import ModelcRuntime

/// Reads OHLCV candle CSV files: the header `timestamp,open,high,low,close,volume` (exactly
/// those six columns, in that order), then one candle per line.
///
/// The reader works on the file's bytes (no String per field, no date formatter per row): a
/// 72k-row file (4.8 MB) loads in a few tens of milliseconds. Rows that cannot be read are
/// collected as problems with their line and row rather than stopping the read, so one run
/// shows everything wrong.
/// Only a bad header, an empty file or a first row whose timestamp form cannot be told stop it.
public enum CandleCSV {
    /// The one accepted header.
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
        guard let header = nextLine(), !header.isEmpty || !restIsBlank() else {
            throw .format(file: file, line: nil, message: "the file is empty; expected the header line \(CandleCSV.columns.joined(separator: ","))")
        }
        try checkHeader(header)

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
            let fields = FieldList(text)
            guard fields.isComplete else {
                malformed.add(problem(row, nil, "expected 6 fields (\(CandleCSV.columns.joined(separator: ","))), found \(fields.found)"))
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
                           rowCount: rows, malformed: malformed)
    }

    func problem(_ row: Int, _ timestamp: Int64?, _ message: String) -> CandleProblem {
        CandleProblem(kind: .malformedRow, row: row, line: line, timestamp: timestamp, message: message)
    }

    /// Refuses anything but the exact header, saying which column differs.
    func checkHeader(_ header: UnsafeBufferPointer<UInt8>) throws(CandleDataError) {
        let fields = header.split(separator: Self.comma, omittingEmptySubsequences: false)
        let names = fields.map { String(decoding: $0, as: UTF8.self) }
        if names == CandleCSV.columns { return }
        let expected = "expected the header \(CandleCSV.columns.joined(separator: ","))"
        if TimestampFormat.detect(UnsafeBufferPointer(rebasing: header[..<(header.firstIndex(of: Self.comma) ?? header.endIndex)])) != nil {
            throw .format(file: file, line: 1, message: "missing header: line 1 is a data row; add the line \(CandleCSV.columns.joined(separator: ",")) at the top")
        }
        for (index, name) in names.enumerated() {
            let quoted = FieldError.quote(UnsafeBufferPointer(rebasing: fields[index]))
            guard index < CandleCSV.columns.count else {
                throw .format(file: file, line: 1, message: "unexpected column \(index + 1) \(quoted); \(expected) (remove the extra columns)")
            }
            if name != CandleCSV.columns[index] {
                throw .format(file: file, line: 1, message: "column \(index + 1) is \(quoted) where \"\(CandleCSV.columns[index])\" belongs; \(expected)")
            }
        }
        throw .format(file: file, line: 1, message: "missing column \(names.count + 1) \"\(CandleCSV.columns[names.count])\"; \(expected)")
    }
}

/// The six fields of one line, as slices of the file's bytes.
private struct FieldList {
    let line: UnsafeBufferPointer<UInt8>
    /// Field `k` spans `starts[k] ..< starts[k + 1] - 1`.
    var starts = InlineArray<7, Int>(repeating: 0)
    /// How many fields the line has.
    var found = 0

    /// Splits at commas; `isComplete` tells whether there were exactly six fields.
    init(_ line: UnsafeBufferPointer<UInt8>) {
        self.line = line
        for i in 0...line.count where i == line.count || line[i] == UInt8(ascii: ",") {
            found += 1
            if found <= 6 { starts[found] = i + 1 }
        }
    }

    var isComplete: Bool { found == 6 }

    subscript(index: Int) -> UnsafeBufferPointer<UInt8> {
        line.slice(starts[index], starts[index + 1] - 1)
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
