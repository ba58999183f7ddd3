import ModelcRuntime

/// Checks a table of candles and reports every problem with its row, line and timestamp.
///
/// Per row: the timestamp must be after the previous row's (else `duplicate` or `unsorted`) and
/// a whole number of intervals from the epoch (`offGrid`); open, high, low, close and volume
/// must be finite (a row with a non-finite value gets no further value checks); prices must be
/// positive, volume not negative, high not below low, and open and close within [low, high]
/// (checked only when high >= low). A forward step longer than the interval is a gap, which is
/// reported, not a problem.
public enum CandleValidator {
    /// Validates `table`. `interval` (seconds) wins over an HDF5 `interval_seconds` attribute,
    /// which must then agree; without either, the interval is inferred.
    public static func check(
        _ table: CandleTable, interval given: Int64? = nil, capacity: Int = ProblemLog.defaultCapacity
    ) throws(CandleDataError) -> CandleCheckReport {
        let step = inferInterval(table.candles)
        let (interval, source) = try resolveInterval(table, given: given, step: step)
        let candles = table.candles
        var log = ProblemLog(capacity: capacity)
        var gaps: [CandleGap] = []
        var zeroVolume = 0

        for i in candles.indices {
            let candle = candles[i]
            let (row, line) = table.location(of: i)
            func report(_ kind: CandleProblem.Kind, _ message: String) {
                log.add(CandleProblem(kind: kind, row: row, line: line, timestamp: candle.timestamp, message: message))
            }

            if i > 0 {
                let previous = candles[i - 1].timestamp
                let previousRow = table.location(of: i - 1).row
                if candle.timestamp == previous {
                    report(.duplicate, "same timestamp as row \(previousRow)")
                } else if candle.timestamp < previous {
                    report(.unsorted, "earlier than row \(previousRow) (\(UTCTime.iso8601(previous))); rows must be in time order")
                } else if let interval, let gap = gap(from: previous, to: candle.timestamp, interval: interval, row: row) {
                    gaps.append(gap)
                }
            }
            if let interval {
                let offset = candle.timestamp % interval
                if offset != 0 {
                    let below = candle.timestamp - (offset + interval) % interval
                    report(.offGrid, "not on the \(interval)-second candle grid (\(candle.timestamp - below) s after \(UTCTime.iso8601(below)))")
                }
            }

            if candle.volume == 0 { zeroVolume += 1 }
            // The common case in one comparison chain (NaN fails every comparison); the rest
            // runs only for rows that have some problem.
            let fine = candle.low > 0 && candle.low <= candle.open && candle.open <= candle.high
                && candle.low <= candle.close && candle.close <= candle.high && candle.high.isFinite
                && candle.volume >= 0 && candle.volume.isFinite
            if fine { continue }

            let values = [("open", candle.open), ("high", candle.high), ("low", candle.low), ("close", candle.close), ("volume", candle.volume)]
            let nonFinite = values.filter { !$0.1.isFinite }
            if !nonFinite.isEmpty {
                report(.nonFinite, nonFinite.map { "\($0.0) is \($0.1)" }.joined(separator: ", "))
                continue
            }
            let nonPositive = values.prefix(4).filter { $0.1 <= 0 }
            if !nonPositive.isEmpty {
                report(.nonPositivePrice, nonPositive.map { "\($0.0) is \($0.1)" }.joined(separator: ", ") + "; prices must be positive")
            }
            if candle.volume < 0 { report(.negativeVolume, "volume is \(candle.volume)") }
            if candle.high < candle.low {
                report(.highBelowLow, "high \(candle.high) is below low \(candle.low)")
            } else {
                let range = "[low \(candle.low), high \(candle.high)]"
                if !(candle.low...candle.high).contains(candle.open) { report(.openOutsideRange, "open \(candle.open) is outside \(range)") }
                if !(candle.low...candle.high).contains(candle.close) { report(.closeOutsideRange, "close \(candle.close) is outside \(range)") }
            }
        }

        return CandleCheckReport(
            file: table.file, container: table.container, layout: table.layout, timestampFormat: table.timestampFormat,
            metadata: table.metadata, rows: table.rowCount,
            first: candles.first?.timestamp, last: candles.last?.timestamp, interval: interval, intervalSource: source,
            mostCommonStep: step, gaps: gaps, zeroVolumeCandles: zeroVolume, problems: table.malformed.merged(with: log)
        )
    }

    /// The most common positive difference between consecutive timestamps (the smallest among
    /// equally common ones); nil when no timestamp follows a smaller one.
    public static func inferInterval(_ candles: [Candle]) -> Int64? {
        guard candles.count > 1 else { return nil }
        var counts: [Int64: Int] = [:]
        for i in 1..<candles.count where candles[i].timestamp > candles[i - 1].timestamp {
            let (step, overflow) = candles[i].timestamp.subtractingReportingOverflow(candles[i - 1].timestamp)
            if !overflow { counts[step, default: 0] += 1 }
        }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    static func resolveInterval(_ table: CandleTable, given: Int64?, step: Int64?) throws(CandleDataError) -> (Int64?, CandleCheckReport.IntervalSource?) {
        if let given {
            guard given > 0 else { throw .interval(file: table.file, message: "the interval must be a positive number of seconds, not \(given)") }
            if let stated = table.metadata.intervalSeconds, stated != given {
                throw .interval(file: table.file, message: "the file's interval_seconds is \(stated), but \(given) was given; check which one is right")
            }
            return (given, .given)
        }
        if let stated = table.metadata.intervalSeconds {
            guard stated > 0 else { throw .hdf5(file: table.file, object: "/candles/interval_seconds", message: "must be positive, is \(stated)") }
            return (stated, .file)
        }
        return step.map { ($0, .inferred) } ?? (nil, nil)
    }

    /// The candles missing between `previous` and `next` (> `previous`), or nil when none are.
    static func gap(from previous: Int64, to next: Int64, interval: Int64, row: Int) -> CandleGap? {
        let (step, overflow) = next.subtractingReportingOverflow(previous)
        let distance = overflow ? Int64.max : step
        guard distance > interval else { return nil }
        // Grid points strictly between the two rows.
        let missing = (distance - 1) / interval
        return CandleGap(start: previous + interval, end: previous + missing * interval, missing: missing, row: row)
    }
}
