import Foundation

/// Finds a symbol's candle file in a data folder, under the names the tools that write candles
/// give them: modelc's (`BTCUSDT_1h.csv`, `BTCUSDT.h5`), freqtrade's
/// (`user_data/data/<exchange>/BTC_USDT-1h.json`, `.jsongz`, `.feather`; futures
/// `BTC_USDT_USDT-1h-futures.feather`) and Binance's (`BTCUSDT-1h-2024-01.csv`). A symbol may be
/// written `BTCUSDT`, `BTC/USDT` or `BTC/USDT:USDT` (ccxt's futures form).
enum CandleFileFinder {
    /// Why no single file was found; the config reader adds where the symbol was written.
    struct Refusal: Error {
        let message: String
    }

    /// The one file for `symbol` among `names` (the folder's entries), or why there is none.
    /// When several match and `interval` is known, files naming another timeframe are dropped.
    static func file(for symbol: String, among names: [String], folder: String, interval: Int64?) -> Result<String, Refusal> {
        var found = names.filter { matches($0, symbol) }.sorted()
        if found.count > 1, let interval {
            found = found.filter { mentions($0, timeframe: timeframe(interval)) }
        }
        if found.count == 1 { return .success(found[0]) }
        if found.isEmpty {
            let bare = symbol.filter { !"/:_".contains($0) }
            let pair = symbol.contains("/") ? symbol.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: ":", with: "_") : "BASE_QUOTE"
            let own = symbol.contains("/") || symbol.contains(":") ? "" : "\(symbol)_* or \(symbol).* (modelc's \(symbol)_1h.csv), or "
            var message = "no candle file for \(symbol) in \(folder): looked for \(own)a name whose part before the first \"-\" is \(bare) "
                + "once \"_\" are dropped (freqtrade's \(pair)-1h.json, Binance's \(bare)-1h-2024-01.csv)"
            let folders = names.filter { name in
                var isFolder: ObjCBool = false
                return FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isFolder) && isFolder.boolValue
            }.sorted()
            if !folders.isEmpty {
                message += "; freqtrade keeps candles in user_data/data/<exchange>: this folder has \(folders.joined(separator: ", "))"
            }
            return .failure(Refusal(message: message))
        }
        let hint = interval == nil ? "; give `interval` (e.g. 1h) to pick the file of that timeframe" : " for \(timeframe(interval!))"
        return .failure(Refusal(message: "several files for \(symbol) in \(folder): \(found.joined(separator: ", "))\(hint)"))
    }

    /// Whether the file `name` holds `symbol`'s candles: modelc's `SYMBOL_…` / `SYMBOL.…`, or a
    /// pair part (before the first `-`) equal to the symbol once `/`, `:` and `_` are dropped.
    static func matches(_ name: String, _ symbol: String) -> Bool {
        guard !name.hasSuffix(".md"), !name.hasPrefix("."), !name.contains("-trades.") else { return false }
        if name.hasPrefix(symbol + "_") || name.hasPrefix(symbol + ".") { return true }
        guard let dash = name.firstIndex(of: "-") else { return false }
        let bare: (Substring) -> String = { String($0.filter { !"/:_".contains($0) }) }
        return bare(name[..<dash]) == bare(Substring(symbol))
    }

    /// freqtrade's and Binance's name for a candle interval: 1m, 5m, 1h, 4h, 1d, 1w.
    static func timeframe(_ seconds: Int64) -> String {
        for (unit, length) in [("w", Int64(604_800)), ("d", 86_400), ("h", 3600), ("m", 60)] where seconds % length == 0 {
            return "\(seconds / length)\(unit)"
        }
        return "\(seconds)s"
    }

    /// Whether `name` names the timeframe as a whole word (`-1h.`, `-1h-`, `_1h.`, `_1h_`).
    static func mentions(_ name: String, timeframe: String) -> Bool {
        ["-", "_"].contains { before in ["-", "_", "."].contains { name.contains(before + timeframe + $0) } }
    }
}
