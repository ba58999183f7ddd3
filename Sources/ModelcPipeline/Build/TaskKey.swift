import Crypto
import Foundation
import ModelcRuntime
import ModelcTraining

extension SpanTraining {
    /// The cache key of a task that trains on `rows` of [start, end) (and scores `scored`, for a
    /// search trial): the SHA-256 of everything its output depends on — the task kind, the parts of
    /// the config training reads (thread counts aside: both trainers give the same bits with any),
    /// the feature layout, each symbol's name and data digest (not its path, so machines that
    /// mount the data elsewhere share entries), the rows and the span, and the modelc that runs it.
    /// The blend, calibration, precision, backtest and names are not in it: changing them
    /// trains nothing again.
    func key(_ kind: String, rows: [RowRef], start: Int64, end: Int64, scored: [RowRef] = []) -> String {
        var c = config
        c.trees.parameters.threads = 0
        c.long.training.threads = 1
        c.short.training.threads = 1
        var h = SHA256()
        func add(_ s: String) { h.update(data: Data((s + "\n").utf8)) }
        add("\(Self.producer) \(kind)")
        // `String(reflecting:)` names every stored field and prints floating-point values exactly.
        for part: Any in [c.trees, c.long, c.short, c.labels, c.walkForward.validationFraction, c.seed, c.warmup,
                          c.data.interval as Any, c.data.from as Any, c.data.to as Any, layout] {
            add(String(reflecting: part))
        }
        for s in symbols { add("\(s.name) \(s.digest)") }
        add("\(start) \(end)")
        for list in [rows, scored] {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(list.count * 16)
            for r in list { withUnsafeBytes(of: (Int64(r.series).littleEndian, Int64(r.row).littleEndian)) { bytes += $0 } }
            add(TaskCache.digest(bytes))
        }
        return TaskCache.hex(h.finalize())
    }

    /// The modelc version and the SHA-256 of the running executable: an entry written by another
    /// build of modelc (a trainer changed under the same version number) is never read. Every node
    /// of a cluster runs the same binary, so they share keys.
    static let producer: String = {
        let exe = (try? Data(contentsOf: URL(fileURLWithPath: "/proc/self/exe"))) ?? Data(CommandLine.arguments[0].utf8)
        return "modelc \(ModelcVersion.string) \(TaskCache.digest(exe))"
    }()
}
