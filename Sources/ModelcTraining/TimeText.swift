/// Human-readable spans for error messages (times are `UTCTime.iso8601`, as in the candle files).
enum TimeText {
    /// A span in the largest whole unit: `8760 h`, `90 min`, `45 s`.
    static func span(_ seconds: Int64) -> String {
        if seconds != 0 && seconds % 3_600 == 0 { return "\(seconds / 3_600) h" }
        if seconds != 0 && seconds % 60 == 0 { return "\(seconds / 60) min" }
        return "\(seconds) s"
    }
}
