/// How a CSV file writes its timestamps. Detected from the first data row and stated in every
/// report, so a file whose milliseconds were read as seconds (or the reverse) cannot pass
/// unnoticed; every later row must use the same form.
public enum TimestampFormat: String, Sendable, Codable, CustomStringConvertible {
    /// `2017-08-17T04:00:00Z` or `2017-08-17T04:00:00+00:00` (a space may replace the `T`).
    case iso8601 = "iso8601"
    /// Whole seconds since 1970-01-01T00:00:00Z, below 10^11 (before the year 5138).
    case unixSeconds = "unix-seconds"
    /// Whole milliseconds since the epoch, at least 10^11 (after 1973-03-03), a multiple of 1000.
    case unixMilliseconds = "unix-milliseconds"

    public var description: String {
        switch self {
        case .iso8601: "ISO-8601 UTC"
        case .unixSeconds: "unix seconds"
        case .unixMilliseconds: "unix milliseconds"
        }
    }

    /// Integers at or above this are milliseconds; below it, seconds.
    static let millisecondThreshold: Int64 = 100_000_000_000

    /// The form a field is written in, or nil when it is none of the accepted ones.
    static func detect(_ field: UnsafeBufferPointer<UInt8>) -> TimestampFormat? {
        if let value = unsignedInteger(field) {
            return value < millisecondThreshold ? .unixSeconds : .unixMilliseconds
        }
        return field.count >= 10 && field[4] == UInt8(ascii: "-") ? .iso8601 : nil
    }

    /// The field's value in unix seconds, or why it is not a timestamp of this form.
    func parse(_ field: UnsafeBufferPointer<UInt8>) -> Result<Int64, FieldError> {
        switch self {
        case .iso8601:
            if Self.unsignedInteger(field) != nil {
                return .failure(FieldError("is a unix time, but this file's timestamps are ISO-8601 (as in its first row)"))
            }
            return Self.parseISO8601(field)
        case .unixSeconds, .unixMilliseconds:
            guard let value = Self.unsignedInteger(field) else {
                return .failure(FieldError("is not a unix time in whole \(self == .unixSeconds ? "seconds" : "milliseconds") (digits only), as in this file's first row"))
            }
            let form: TimestampFormat = value < Self.millisecondThreshold ? .unixSeconds : .unixMilliseconds
            guard form == self else {
                return .failure(FieldError("looks like \(form), but this file's timestamps are \(self) (as in its first row)"))
            }
            if self == .unixSeconds { return .success(value) }
            guard value % 1000 == 0 else {
                return .failure(FieldError("is not a whole second (milliseconds \(value % 1000) in \(value))"))
            }
            return .success(value / 1000)
        }
    }

    /// Digits only, 1 to 18 of them (so the value fits in Int64), or nil.
    static func unsignedInteger(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard (1...18).contains(field.count) else { return nil }
        var value: Int64 = 0
        for byte in field {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int64(digit)
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
        let text = String(decoding: field, as: UTF8.self)
        return "\"" + (text.count > 40 ? text.prefix(40) + "..." : text) + "\""
    }
}
