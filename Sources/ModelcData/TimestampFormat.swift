import ModelcRuntime

/// How a file writes its timestamps. Detected from the first data row and stated in every
/// report, so a file whose milliseconds were read as seconds (or the reverse) cannot pass
/// unnoticed; every later row must use the same form. Unix times are told apart by magnitude:
/// for the accepted years (`plausibleSeconds`) the four units never overlap.
public enum TimestampFormat: String, Sendable, Codable, CustomStringConvertible {
    /// `2017-08-17T04:00:00Z` or `2017-08-17T04:00:00+00:00` (a space may replace the `T`).
    case iso8601 = "iso8601"
    /// Whole seconds since 1970-01-01T00:00:00Z, below 10^11.
    case unixSeconds = "unix-seconds"
    /// Milliseconds since the epoch, 10^11 to below 10^14, a multiple of 1000.
    case unixMilliseconds = "unix-milliseconds"
    /// Microseconds (Binance's kline files since 2025, pandas), 10^14 to below 10^17.
    case unixMicroseconds = "unix-microseconds"
    /// Nanoseconds (pandas' datetime64[ns]), 10^17 and above.
    case unixNanoseconds = "unix-nanoseconds"

    public var description: String {
        switch self {
        case .iso8601: "ISO-8601 UTC"
        case .unixSeconds: "unix seconds"
        case .unixMilliseconds: "unix milliseconds"
        case .unixMicroseconds: "unix microseconds"
        case .unixNanoseconds: "unix nanoseconds"
        }
    }

    /// Candle times modelc accepts, in unix seconds: 2000-01-01T00:00:00Z to
    /// 2100-01-01T00:00:00Z. Anything outside is a unit or data error (year 57799 is
    /// microseconds read as milliseconds), refused with its row and value.
    public static let plausibleSeconds: ClosedRange<Int64> = 946_684_800...FeatureEngine.latestTimestamp

    /// The unit of a unix time, told by its magnitude.
    public static func unit(of value: Int64) -> TimestampFormat {
        switch value {
        case ..<100_000_000_000: .unixSeconds
        case ..<100_000_000_000_000: .unixMilliseconds
        case ..<100_000_000_000_000_000: .unixMicroseconds
        default: .unixNanoseconds
        }
    }

    /// Units of this form in one second (1 for ISO-8601, which is parsed to seconds).
    var perSecond: Int64 {
        switch self {
        case .iso8601, .unixSeconds: 1
        case .unixMilliseconds: 1000
        case .unixMicroseconds: 1_000_000
        case .unixNanoseconds: 1_000_000_000
        }
    }

    /// The form a field is written in, or nil when it is none of the accepted ones.
    static func detect(_ field: UnsafeBufferPointer<UInt8>) -> TimestampFormat? {
        if let value = unsignedInteger(field) { return unit(of: value) }
        return field.count >= 10 && field[4] == UInt8(ascii: "-") ? .iso8601 : nil
    }

    /// The field's value in unix seconds, or why it is not a timestamp of this form.
    func parse(_ field: UnsafeBufferPointer<UInt8>) -> Result<Int64, FieldError> {
        if self == .iso8601 {
            if Self.unsignedInteger(field) != nil {
                return .failure(FieldError("is a unix time, but this file's timestamps are ISO-8601 (as in its first row)"))
            }
            return Self.parseISO8601(field).flatMap(Self.plausible)
        }
        guard let value = Self.unsignedInteger(field) else {
            return .failure(FieldError("is not a unix time in whole \(description.dropFirst(5)) (digits only), as in this file's first row"))
        }
        return seconds(fromUnix: value)
    }

    /// A unix time of this unit in seconds: it must have this unit's magnitude, be a whole
    /// second and lie in `plausibleSeconds`.
    func seconds(fromUnix value: Int64) -> Result<Int64, FieldError> {
        let form = Self.unit(of: value)
        guard form == self else {
            return .failure(FieldError("looks like \(form), but this file's timestamps are \(self) (as in its first row)"))
        }
        guard value % perSecond == 0 else {
            return .failure(FieldError("is not a whole second (\(value % perSecond) left over in \(self))"))
        }
        return Self.plausible(value / perSecond)
    }

    /// `seconds` when it lies in `plausibleSeconds`.
    static func plausible(_ seconds: Int64) -> Result<Int64, FieldError> {
        guard plausibleSeconds.contains(seconds) else {
            return .failure(FieldError("is \(UTCTime.iso8601(seconds)), outside the accepted years 2000 to 2099 "
                + "(a unit error? unix times are read as seconds, milliseconds, microseconds or nanoseconds by magnitude)"))
        }
        return .success(seconds)
    }

    /// Digits only, 1 to 19 of them, that fit in Int64; or nil.
    static func unsignedInteger(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard (1...19).contains(field.count) else { return nil }
        var value: Int64 = 0
        for byte in field {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.addingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = next
        }
        return value
    }

    /// `YYYY-MM-DDTHH:MM:SS` (or a space for `T`) followed by `Z` or `+00:00`; nothing else.
    static func parseISO8601(_ f: UnsafeBufferPointer<UInt8>) -> Result<Int64, FieldError> {
        let shape = "is not an ISO-8601 UTC timestamp like 2017-08-17T04:00:00Z"
        guard f.count >= 19 else { return .failure(FieldError(shape)) }
        func number(_ start: Int, _ length: Int) -> Int64? {
            var value: Int64 = 0
            for i in start..<(start + length) {
                let digit = f[i] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int64(digit)
            }
            return value
        }
        let dash = UInt8(ascii: "-"), colon = UInt8(ascii: ":")
        guard f[4] == dash, f[7] == dash, f[10] == UInt8(ascii: "T") || f[10] == UInt8(ascii: " "),
              f[13] == colon, f[16] == colon,
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2)
        else { return .failure(FieldError(shape)) }

        if f.count == 19 {
            return .failure(FieldError("has no time zone; write it in UTC with a Z (2017-08-17T04:00:00Z) or +00:00"))
        }
        if f[19] == UInt8(ascii: ".") || f[19] == UInt8(ascii: ",") {
            return .failure(FieldError("has fractional seconds; candle times must be whole seconds (write 2017-08-17T04:00:00Z)"))
        }
        let isUTC = f.count == 20 ? f[19] == UInt8(ascii: "Z")
            : f.count == 25 && f[19] == UInt8(ascii: "+") && f[22] == colon && number(20, 2) == 0 && number(23, 2) == 0
        guard isUTC else {
            return .failure(FieldError("is not in UTC; only Z or +00:00 are accepted (convert the times to UTC)"))
        }
        guard (1...12).contains(month), (1...UTCTime.daysInMonth(year: year, month: month)).contains(day),
              hour < 24, minute < 60, second < 60
        else { return .failure(FieldError("is not a valid date and time")) }
        return .success(UTCTime.days(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second)
    }
}

/// Why one CSV field was refused; the reader adds file, line, row and column.
struct FieldError: Error {
    let message: String
    init(_ message: String) { self.message = message }

    /// A field's text for a message, in quotes, cut to 40 characters (a binary file read as
    /// CSV must not print megabytes).
    static func quote(_ field: UnsafeBufferPointer<UInt8>) -> String {
        quote(String(decoding: field, as: UTF8.self))
    }

    /// The same for text (a header, a JSON value).
    static func quote(_ text: String) -> String {
        "\"" + (text.count > 40 ? text.prefix(40) + "..." : text) + "\""
    }
}
