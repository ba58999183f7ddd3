/// Where the six candle fields sit in a CSV's rows, told from its first line: a header whose
/// names say it (modelc's own, pandas `to_csv` with freqtrade's `date` column, Binance's with
/// `open_time`), or no header and Binance's 12 kline columns.
struct CandleColumns: Sendable {
    /// The field index of timestamp, open, high, low, close and volume, in that order.
    let positions: [Int]
    /// Fields in every row.
    let count: Int
    /// Whether line 1 is a header (false: a Binance kline file without one).
    let hasHeader: Bool
    /// How the file was read, for reports, e.g. `header date,open,high,low,close,volume; ignored:
    /// column 1 (unnamed)`; empty for modelc's own header.
    let layout: String

    /// Names (any case) each field may have in a header; anything else is ignored.
    static let names: [[String]] = [
        ["timestamp", "date", "datetime", "time", "open_time"],
        ["open"], ["high"], ["low"], ["close"], ["volume"],
    ]

    /// Binance's kline columns (data.binance.vision), the first six being the candle.
    static let binanceKline = ["open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
                               "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"]

    /// What the rows say where the header should be, or why line 1 cannot be read as either.
    static func read(firstLine fields: [UnsafeBufferPointer<UInt8>]) -> Result<CandleColumns, FieldError> {
        if TimestampFormat.detect(fields[0]) != nil {
            guard fields.count == binanceKline.count else {
                return .failure(FieldError("missing header: line 1 is a data row of \(fields.count) field(s); add a header line "
                    + "such as \(CandleCSV.columns.joined(separator: ",")) (a file without one is read only with Binance's "
                    + "\(binanceKline.count) kline columns)"))
            }
            return .success(CandleColumns(positions: Array(0..<6), count: fields.count, hasHeader: false,
                                          layout: "Binance kline columns, no header"))
        }
        let header = fields.map { String(decoding: $0, as: UTF8.self) }
        let positions: [Int]
        switch find(in: header) {
        case .success(let found): positions = found
        case .failure(let error): return .failure(error)
        }
        let layout = header == CandleCSV.columns ? ""
            : "header " + positions.map { header[$0] }.joined(separator: ",") + ignoredNote(header, positions: positions)
        return .success(CandleColumns(positions: positions, count: header.count, hasHeader: true, layout: layout))
    }

    /// The index of the timestamp, open, high, low, close and volume column among `header`'s
    /// names (a CSV header, a feather file's columns: `holder` says which), or why they cannot be told.
    static func find(in header: [String], holder: String = "the header") -> Result<[Int], FieldError> {
        var positions: [Int] = []
        for (role, accepted) in names.enumerated() {
            let found = header.indices.filter { accepted.contains(header[$0].lowercased()) }
            let role = CandleCSV.columns[role]
            guard found.count == 1 else {
                let names = accepted.count == 1 ? "\"\(role)\"" : "timestamp (\(accepted.map { "\"\($0)\"" }.joined(separator: ", ")))"
                return .failure(FieldError(found.isEmpty
                    ? "no \(names) column (any case) in \(holder) \(FieldError.quote(header.joined(separator: ",")))"
                    : "\(found.map { describe(header, $0) }.joined(separator: " and ")) could each be the \(role); keep one"))
            }
            positions.append(found[0])
        }
        return .success(positions)
    }

    /// `; ignored: column 1 (unnamed), ...` for the columns of `header` not at `positions`.
    static func ignoredNote(_ header: [String], positions: [Int]) -> String {
        let ignored = header.indices.filter { !positions.contains($0) }
        return ignored.isEmpty ? "" : "; ignored: " + ignored.map { describe(header, $0) }.joined(separator: ", ")
    }

    /// `column 3 "close"`, or `column 1 (unnamed)`.
    static func describe(_ header: [String], _ index: Int) -> String {
        header[index].isEmpty ? "column \(index + 1) (unnamed)" : "column \(index + 1) \"\(header[index])\""
    }
}
