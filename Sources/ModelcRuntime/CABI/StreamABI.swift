import CModelcKernels

// The C ABI for streams (modelc.h, "Streams").

/// What an `mc_stream *` points to. Holds its model handle, so the model outlives it.
final class StreamHandle {
    var model: ModelHandle
    var stream: SymbolStream

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
    for i in 0..<count {
        guard let h = stream(streams![i]) else {
            writeError("mc_score_batch: stream \(i) is null", to: err, capacity: errCapacity)
            return ErrorCode.invalidArgument.rawValue
        }
        do {
            out![i] = mc_score(try h.stream.push(Candle(candles![i])))
        } catch {
            writeError("stream \(i): \(error.message)", to: err, capacity: errCapacity)
            return error.code.rawValue
        }
    }
    return 0
}
