import CModelcKernels

// The C ABI for streams (modelc.h, "Streams").

/// What an `mc_stream *` points to. Holds its model handle, so the model outlives it.
final class StreamHandle {
    var model: ModelHandle
    var stream: SymbolStream
    /// `mc_score_batch`'s marks: the stream consumed a candle of the run being scored (`ready`:
    /// it yielded a feature row), and its windows were already scored with its model's group.
    var inRun = false, ready = false, grouped = false

    /// Not throwing: in the Embedded build a class initialiser that throws leaked the object.
    init(model: ModelHandle, stream: SymbolStream) {
        self.model = model
        self.stream = stream
    }
}

private func stream(_ p: OpaquePointer?) -> StreamHandle? {
    guard let p else { return nil }
    return Unmanaged<StreamHandle>.fromOpaque(UnsafeRawPointer(p)).takeUnretainedValue()
}

extension mc_score {
    init(_ s: StreamScore) {
        self.init(timestamp: s.timestamp, p_long: s.pLong, p_short: s.pShort, p_up: s.pUp,
                  confidence: s.decision.confidence, size: s.decision.size, signal: s.decision.signal.rawValue,
                  ready: s.ready ? 1 : 0)
    }
}

extension Candle {
    init(_ c: mc_candle) {
        self.init(timestamp: c.timestamp, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume)
    }
}

@c @implementation public func mc_model_warmup_candles(_ model: OpaquePointer?) -> Int32 {
    guard let h = handle(model) else { return -1 }
    guard !h.model.features.isEmpty, let s = try? SymbolStream(model: h.model) else { return 0 }
    return Int32(s.warmupCandles)
}

@c @implementation public func mc_stream_create(
    _ model: OpaquePointer?, _ out: UnsafeMutablePointer<OpaquePointer?>?,
    _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let h = handle(model), let out else {
        writeError("mc_stream_create: null model or output pointer", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    out.pointee = nil
    do {
        let stream = try SymbolStream(model: h.model)
        out.pointee = OpaquePointer(Unmanaged.passRetained(StreamHandle(model: h, stream: stream)).toOpaque())
        return 0
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
}

@c @implementation public func mc_stream_free(_ s: OpaquePointer?) {
    guard let s else { return }
    Unmanaged<StreamHandle>.fromOpaque(UnsafeRawPointer(s)).release()
}

@c @implementation public func mc_stream_reset(_ s: OpaquePointer?) {
    stream(s)?.stream.reset()
}

@c @implementation public func mc_stream_set_model(
    _ s: OpaquePointer?, _ model: OpaquePointer?, _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let h = stream(s), let m = handle(model) else {
        writeError("mc_stream_set_model: null stream or model", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    do {
        try h.stream.setModel(m.model)
        h.model = m
        return 0
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
}

@c @implementation public func mc_stream_history_count(_ s: OpaquePointer?) -> Int32 {
    guard let h = stream(s) else { return -1 }
    return Int32(h.stream.historyCount)
}

@c @implementation public func mc_stream_component_probability(_ s: OpaquePointer?, _ index: Int32) -> Double {
    guard let h = stream(s), index >= 0, Int(index) < h.stream.lastProbabilities.count else { return .nan }
    return h.stream.lastProbabilities[Int(index)]
}

@c @implementation public func mc_stream_push(
    _ s: OpaquePointer?, _ candle: UnsafePointer<mc_candle>?, _ out: UnsafeMutablePointer<mc_score>?,
    _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let h = stream(s), let candle, let out else {
        writeError("mc_stream_push: null stream, candle or score pointer", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    do {
        out.pointee = mc_score(try h.stream.push(Candle(candle.pointee)))
        return 0
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
}

/// Pushes `count` candles in order, as `count` calls of mc_stream_push would (the same bits), writing
/// their scores and, when `probabilities` is not null, each candle's component probabilities
/// (`count` rows of the model's component count). One call instead of `count` saves a binding
/// (Python's ctypes) its per-call cost. Stops at the first refused candle, whose index the
/// message names; the candles before it stay pushed.
@c @implementation public func mc_stream_push_many(
    _ s: OpaquePointer?, _ candles: UnsafePointer<mc_candle>?, _ count: Int, _ out: UnsafeMutablePointer<mc_score>?,
    _ probabilities: UnsafeMutablePointer<Double>?, _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let h = stream(s), count == 0 || (candles != nil && out != nil) else {
        writeError("mc_stream_push_many: null stream, candles or scores", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    let components = h.model.model.components.count
    for i in 0..<count {
        do {
            out![i] = mc_score(try h.stream.push(Candle(candles![i])))
        } catch {
            writeError("candle \(i): \(error.message)", to: err, capacity: errCapacity)
            return error.code.rawValue
        }
        if let probabilities {
            for c in 0..<components { probabilities[i * components + c] = h.stream.lastProbabilities[c] }
        }
    }
    return 0
}

@c @implementation public func mc_score_window(
    _ model: OpaquePointer?, _ candles: UnsafePointer<mc_candle>?, _ count: Int, _ out: UnsafeMutablePointer<mc_score>?,
    _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard let h = handle(model), let candles, count > 0, let out else {
        writeError("mc_score_window: null model, candles or score pointer, or no candles", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    do {
        var s = try SymbolStream(model: h.model)
        for i in 0..<count {
            let score = try s.push(Candle(candles[i]))
            if i == count - 1 { out.pointee = mc_score(score) }
        }
        return 0
    } catch {
        writeError(error.message, to: err, capacity: errCapacity)
        return error.code.rawValue
    }
}

@c @implementation public func mc_score_batch(
    _ streams: UnsafePointer<OpaquePointer?>?, _ candles: UnsafePointer<mc_candle>?, _ count: Int,
    _ out: UnsafeMutablePointer<mc_score>?, _ err: UnsafeMutablePointer<CChar>?, _ errCapacity: Int
) -> Int32 {
    guard count == 0 || (streams != nil && candles != nil && out != nil) else {
        writeError("mc_score_batch: null streams, candles or scores", to: err, capacity: errCapacity)
        return ErrorCode.invalidArgument.rawValue
    }
    // Candles are consumed in order and scored in runs: a run ends before a stream already in it
    // (its second candle needs the first one scored) and at the first error, which is reported
    // once the streams before it are scored, as pushing them one by one would leave them.
    var runStart = 0, i = 0
    var failure: (code: Int32, message: String)? = nil
    while i < count {
        guard let h = stream(streams![i]) else {
            failure = (ErrorCode.invalidArgument.rawValue, "mc_score_batch: stream \(i) is null")
            break
        }
        if h.inRun {
            if let f = scoreRun(streams!, candles!, runStart..<i, out!) { failure = f; break }
            runStart = i
        }
        do {
            h.ready = try h.stream.advance(Candle(candles![i]))
            h.inRun = true
        } catch {
            failure = (error.code.rawValue, "stream \(i): \(error.message)")
            break
        }
        i += 1
    }
    if let f = scoreRun(streams!, candles!, runStart..<i, out!), failure == nil { failure = f }
    if let failure {
        writeError(failure.message, to: err, capacity: errCapacity)
        return failure.code
    }
    return 0
}

/// Scores the streams of a run, each having consumed its candle: the windows of every component
/// of one model are scored together (`ComponentDefinition.probabilities`, each window's bits as
/// alone), then each stream blends its own. Returns the first error, naming its stream.
private func scoreRun(_ streams: UnsafePointer<OpaquePointer?>, _ candles: UnsafePointer<mc_candle>, _ run: Range<Int>,
                      _ out: UnsafeMutablePointer<mc_score>) -> (code: Int32, message: String)? {
    defer {
        for i in run {
            let h = stream(streams[i])!
            h.inRun = false
            h.grouped = false
        }
    }
    for i in run { stream(streams[i])!.stream.prepareScores() }
    for first in run where !stream(streams[first])!.grouped {
        // The run's streams of this model, from `first` on, scored in the arena of the first
        // (so a batch of the same streams allocates nothing once it has scored).
        let model = stream(streams[first])!.model, arena = stream(streams[first])!.stream.scratch
        defer { arena.reset() }
        let members = arena.take(Int.self, run.upperBound - first)
        var n = 0
        for i in first..<run.upperBound where stream(streams[i])!.model === model {
            stream(streams[i])!.grouped = true
            members[n] = i
            n += 1
        }
        do {
            for (index, c) in model.model.components.enumerated() {
                try scoreComponent(c, index: index, streams, members, n, arena: arena)
            }
        } catch {
            return (error.code.rawValue, error.message)
        }
    }
    for i in run { out[i] = mc_score(stream(streams[i])!.stream.finish(timestamp: candles[i].timestamp)) }
    return nil
}

/// Component `c`'s windows of those of the `n` streams in `members` that score it, in blocks
/// of `windowBlock` gathered into the arena.
private func scoreComponent(_ c: ComponentDefinition, index: Int, _ streams: UnsafePointer<OpaquePointer?>,
                            _ members: UnsafeMutablePointer<Int>, _ n: Int, arena: ScratchArena) throws(ModelcError) {
    let size = c.window * c.inputFeatures.count, block = ComponentDefinition.windowBlock
    let mark = arena.mark
    defer { arena.release(to: mark) }
    let windows = arena.take(Double.self, block * size), p = arena.take(Double.self, block)
    let owners = arena.take(Int.self, block)
    var m = 0
    while m < n {
        var count = 0
        while m < n && count < block {
            let h = stream(streams[members[m]])!
            if h.stream.scores(c, ready: h.ready) {
                h.stream.gather(c, into: windows + count * size)
                owners[count] = members[m]
                count += 1
            }
            m += 1
        }
        guard count > 0 else { continue }
        do {
            try c.probabilities(windows: UnsafeBufferPointer(start: windows, count: count * size), count: count, arena: arena, into: p)
        } catch {
            throw ModelcError(error.code, "stream \(owners[0]): \(error.message)")
        }
        for k in 0..<count { stream(streams[owners[k]])!.stream.setProbability(p[k], component: index) }
    }
}
