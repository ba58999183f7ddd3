import Foundation
import ModelcRuntime
import ModelcTestSupport

/// The real candle files in `<package root>/../shared/data/ohlcv`, read by a tiny reader of the
/// test's own (the data layer is not a dependency of these tests), each file parsed once.
enum RealCandles {
    static let interval: Int64 = 3_600

    static let shared = RepositoryPaths.shared

    static let btc = Result { try read("BTCUSDT") }
    static let eth = Result { try read("ETHUSDT") }

    static func candles(_ symbol: String) throws -> [Candle] {
        switch symbol {
        case "BTCUSDT": return try btc.get()
        case "ETHUSDT": return try eth.get()
        default: return try read(symbol)
        }
    }

    /// `2017-08-17T04:00:00Z` -> unix seconds, through libc's timegm.
    static func unixTime(_ iso: String) -> Int64? {
        iso.utf8.count == 20 ? iso.withCString { unixTime(at: $0) } : nil
    }

    /// The same for the 20 characters at `p` (plain loops: this runs per row in debug builds).
    private static func unixTime(at p: UnsafePointer<CChar>) -> Int64? {
        guard p[4] == 45, p[7] == 45, p[10] == 84, p[13] == 58, p[16] == 58, p[19] == 90 else { return nil }
        var fields: [Int32] = [0, 0, 0, 0, 0, 0]  // year, month, day, hour, minute, second
        var field = 0
        var i = 0
        while i < 19 {
            let c = Int32(p[i])
            if c >= 48 && c <= 57 {
                fields[field] = fields[field] * 10 + c - 48
            } else if i == 4 || i == 7 || i == 10 || i == 13 || i == 16 {
                field += 1
            } else {
                return nil
            }
            i += 1
        }
        var tm = tm()
        tm.tm_year = fields[0] - 1_900
        tm.tm_mon = fields[1] - 1
        tm.tm_mday = fields[2]
        tm.tm_hour = fields[3]
        tm.tm_min = fields[4]
        tm.tm_sec = fields[5]
        return Int64(timegm(&tm))
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `timestamp,open,high,low,close,volume` with ISO-8601 UTC times: fixed offsets for
    /// the time, libc's strtod (correctly rounded) for the numbers; fast enough for debug builds.
    private static func read(_ symbol: String) throws -> [Candle] {
        let path = shared.appendingPathComponent("data/ohlcv/\(symbol)_1h.csv").path
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw Failure(description: "cannot read \(path): the tests need shared/ beside the package")
        }
        bytes.append(0)
        return try bytes.withUnsafeBufferPointer { buffer throws -> [Candle] in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let end = base + buffer.count - 1
            var line = base
            while line < end && line.pointee != 10 { line += 1 }  // skip the header
            var candles: [Candle] = []
            candles.reserveCapacity(buffer.count / 60)
            while line < end {
                line += 1  // past the newline
                if line >= end { break }
                let fail = Failure(description: "\(path) line \(candles.count + 2): cannot parse it")
                guard end - line > 21, let time = unixTime(at: line),
                    line[20] == 44
                else { throw fail }
                var cursor = UnsafeMutablePointer(mutating: line + 21)
                var fields: [Double] = []
                for k in 0..<5 {
                    var next: UnsafeMutablePointer<CChar>?
                    let value = strtod(cursor, &next)
                    guard let next, next != cursor, next.pointee == (k < 4 ? 44 : 10) || (k == 4 && next.pointee == 0) else {
                        throw fail
                    }
                    fields.append(value)
                    cursor = k < 4 ? next + 1 : next
                }
                candles.append(
                    Candle(timestamp: time, open: fields[0], high: fields[1], low: fields[2], close: fields[3], volume: fields[4]))
                line = UnsafePointer(cursor)
            }
            return candles
        }
    }
}
