import Foundation
import ModelcRuntime

/// Reads JSON candle lists: `[[time, open, high, low, close, volume], ...]`, what freqtrade's
/// JSON data handler writes (pandas `to_json(orient="values")`, times in unix milliseconds) and
/// what ccxt's `fetch_ohlcv` returns. Parsed by Foundation's JSONSerialization; the time unit is
/// told by the first row's magnitude as in CSV (`TimestampFormat`). Rows that cannot be read
/// (a `null` pandas wrote for NaN, a short row) are collected as problems with their row.
public enum CandleJSON {
    /// Parses JSON bytes; `file` names them in messages.
    public static func parse(_ bytes: [UInt8], file: String) throws(CandleDataError) -> CandleTable {
        let document: Any
        do {
            document = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
        } catch {
            throw .format(file: file, line: nil, message: "is not valid JSON (\(error.localizedDescription))")
        }
        guard let rows = document as? [Any] else {
            throw .format(file: file, line: nil, message: "is a JSON \(document is [String: Any] ? "object" : "value"); modelc reads a JSON list of "
                + "[time, open, high, low, close, volume] rows (freqtrade's .json, ccxt's fetch_ohlcv; from pandas: to_json(orient=\"values\"))")
        }
        guard !rows.isEmpty else { throw .format(file: file, line: nil, message: "holds no candles (an empty JSON list)") }

        var candles: [Candle] = []
        candles.reserveCapacity(rows.count)
        var malformed = ProblemLog()
        var form: TimestampFormat?
        for (index, item) in rows.enumerated() {
            let row = index + 1
            func problem(_ timestamp: Int64?, _ message: String) {
                malformed.add(CandleProblem(kind: .malformedRow, row: row, line: nil, timestamp: timestamp, message: message))
            }
            guard let fields = item as? [Any], fields.count == CandleCSV.columns.count else {
                problem(nil, "expected a list of 6 values (\(CandleCSV.columns.joined(separator: ", "))), found \(describe(item))")
                continue
            }
            var errors: [String] = []
            var timestamp: Int64?
            if let value = wholeNumber(fields[0]) {
                if form == nil { form = TimestampFormat.unit(of: value) }
                switch form!.seconds(fromUnix: value) {
                case .success(let seconds): timestamp = seconds
                case .failure(let error): errors.append("timestamp \(value) \(error.message)")
                }
            } else {
                errors.append("timestamp \(describe(fields[0])) is not a unix time in whole seconds, milliseconds, microseconds or nanoseconds")
            }
            var values = [Double](repeating: 0, count: 6)
            for column in 1...5 {
                if let number = fields[column] as? NSNumber, !(fields[column] is String) {
                    values[column] = number.doubleValue
                } else {
                    errors.append("\(CandleCSV.columns[column]) is \(describe(fields[column])), not a number")
                }
            }
            if let timestamp, errors.isEmpty {
                candles.append(Candle(timestamp: timestamp, open: values[1], high: values[2], low: values[3], close: values[4], volume: values[5]))
            } else {
                problem(timestamp, errors.joined(separator: "; "))
            }
        }
        guard let form else {
            let first = malformed.problems.first.map { ": \($0)" } ?? ""
            throw .format(file: file, line: nil, message: "none of the \(rows.count) rows could be read\(first)")
        }
        return CandleTable(file: file, container: .json, candles: candles, lines: [], timestampFormat: form,
                           rowCount: rows.count, malformed: malformed)
    }

    /// A JSON number that is a non-negative whole number within Int64, or nil.
    static func wholeNumber(_ value: Any) -> Int64? {
        guard let number = value as? NSNumber, !(value is String) else { return nil }
        let double = number.doubleValue
        guard double >= 0, double < 9.2e18, double == double.rounded(.towardZero) else { return nil }
        return number.int64Value
    }

    /// A JSON value for a message, cut short.
    static func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case let text as String: return "the string " + FieldError.quote(text)
        case let list as [Any]: return "a list of \(list.count) value\(list.count == 1 ? "" : "s")"
        case is [String: Any]: return "an object"
        default: return FieldError.quote("\(value)")
        }
    }
}
