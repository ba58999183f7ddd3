import Foundation
import ModelcData

/// Number and time formatting for the report: fixed C formats and UTC only, so the same artifact
/// gives the same bytes on every machine and in every locale.
enum ReportFormat {
    static func number(_ value: Double) -> String {
        let v = value == 0 ? 0 : value  // no "-0.0000"
        if v.isNaN { return "n/a" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        let a = abs(v)
        if a != 0 && (a >= 1e6 || a < 1e-3) { return String(format: "%.3e", v) }
        return String(format: "%.4f", v)
    }

    /// An axis label: round tick values need no trailing zeros (`0.95`, `1`, `20`).
    static func tick(_ value: Double) -> String { String(format: "%g", value == 0 ? 0 : value) }

    static func percent(_ value: Double) -> String {
        let v = value == 0 ? 0 : value
        return v.isFinite ? String(format: "%.2f%%", v * 100) : number(v)
    }

    /// `2024-03-01`
    static func date(_ unix: Int64) -> String { String(UTCTime.iso8601(unix).prefix(10)) }

    /// `2024-03-01 14:00 UTC`
    static func dateTime(_ unix: Int64) -> String {
        let iso = UTCTime.iso8601(unix)
        return "\(iso.prefix(10)) \(iso.dropFirst(11).prefix(5)) UTC"
    }

    /// `2024-01-01 → 2024-03-01` for a half-open span.
    static func span(_ start: Int64, _ end: Int64) -> String { "\(date(start)) \u{2192} \(date(end))" }

    /// A chart coordinate: two decimals are finer than a pixel.
    static func coordinate(_ v: Double) -> String { String(format: "%.2f", v) }
}
