/// Where a stream stands, besides the storage block: the engine's small mutable state.
struct FeatureCursor {
    /// Candles consumed in the current run (the position of the next candle).
    var position = 0
    /// Ring slot of the newest candle (every series ring shares it).
    var newest = -1
    /// The last accepted candle.
    var previous: Candle?
    /// Consecutive lower lows ending at the newest candle, saturated at the largest cap.
    var lowerLows = 0
    /// Set when the last candle left a smoothed state or its row non-finite (an extreme but
    /// valid candle overflowed a sum): the next candle starts a new run, as after a gap.
    var overflowed = false
}

extension FeaturePlan {
    // MARK: State update (every candle, warmed up or not)

    /// Consumes candle `c` at `cursor.position` of its run: pushes the series rings and steps
    /// the EMAs, the Wilder averages and the lower-low count.
    func advance(_ c: Candle, _ cursor: inout FeatureCursor, _ s: UnsafeMutablePointer<Double>) {
        let pos = cursor.position
        let prevClose = pos > 0 ? cursor.previous?.close ?? .nan : .nan
        cursor.newest = cursor.newest + 1 == ringCapacity ? 0 : cursor.newest + 1
        // Each ring holds every value twice, ringCapacity apart, so that any window of the
        // last n <= ringCapacity values is contiguous.
        let slot = s + cursor.newest
        let upper = slot + ringCapacity
        func push(_ ring: Int?, _ x: Double) {
            guard let r = ring else { return }
            slot[r] = x
            upper[r] = x
        }
        push(closeRing, c.close)
        if logReturnRing != nil { push(logReturnRing, pos > 0 ? DMath.log(c.close / prevClose) : .nan) }
        push(volumeRing, c.volume)
        push(redVolumeRing, c.close < c.open ? c.volume : 0)
        for i in 0..<emas.count {  // index loops: cheaper than array iterators in debug builds
            let e = emas[i]
            s[e.offset] = pos == 0 ? c.close : s[e.offset] + e.alpha * (c.close - s[e.offset])
        }
        if pos > 0 {
            let move = c.close - prevClose
            for i in 0..<rsis.count {
                let w = rsis[i]
                wilderStep(w, pos, lane: 0, max(move, 0), s)
                wilderStep(w, pos, lane: 1, max(-move, 0), s)
                if pos >= w.period {
                    let gain = s[w.averageOffset]
                    let loss = s[w.averageOffset + 1]
                    s[w.valueOffset] = loss > 0 ? 100 - 100 / (1 + gain / loss) : (gain > 0 ? 100 : 50)
                }
            }
            let trueRange = max(max(c.high - c.low, (c.high - prevClose).magnitude), (c.low - prevClose).magnitude)
            for i in 0..<atrs.count {
                let w = atrs[i]
                wilderStep(w, pos, lane: 0, trueRange, s)
                if pos >= w.period { s[w.valueOffset] = s[w.averageOffset] }
            }
        }
        for i in 0..<rsis.count where rsis[i].historyRing != nil {
            push(rsis[i].historyRing, pos >= rsis[i].period ? s[rsis[i].valueOffset] : .nan)
        }
        if lowerLowCap > 0 {
            if pos > 0, let p = cursor.previous, c.low < p.low {
                cursor.lowerLows = min(cursor.lowerLows + 1, lowerLowCap)
            } else {
                cursor.lowerLows = 0
            }
        }
    }

    /// Whether every smoothed state that outlives a window is finite at position `pos`: the EMAs
    /// and the seeded Wilder averages. One overflowed by an extreme candle would stay infinite
    /// for good, so the engine restarts the run instead.
    func smoothedStateIsFinite(_ pos: Int, _ s: UnsafeMutablePointer<Double>) -> Bool {
        var probe = 0.0  // x·0 is 0 for a finite x and NaN otherwise
        for i in 0..<emas.count { probe += s[emas[i].offset] * 0 }
        for i in 0..<rsis.count where pos >= rsis[i].period {
            probe += s[rsis[i].averageOffset] * 0 + s[rsis[i].averageOffset + 1] * 0
        }
        for i in 0..<atrs.count where pos >= atrs[i].period { probe += s[atrs[i].averageOffset] * 0 }
        return probe == 0
    }

    /// Wilder smoothing of one lane: the values at positions 1...n are kept, at n their mean
    /// seeds the average, then avg = (avg (n - 1) + x) / n.
    @inline(__always)
    private func wilderStep(_ w: WilderSlot, _ pos: Int, lane: Int, _ x: Double, _ s: UnsafeMutablePointer<Double>) {
        let n = w.period
        let avg = w.averageOffset + lane
        if pos > n {
            s[avg] = (s[avg] * Double(n - 1) + x) / Double(n)
            return
        }
        let seed = s + w.seedOffset + lane * n
        seed[pos - 1] = x
        if pos == n { s[avg] = windowMean(seed, n) }
    }

    // MARK: The row (warmed-up candles only)

    /// Computes the shared window statistics, then every column of the row into `out`.
    func writeRow(_ c: Candle, _ cursor: FeatureCursor, _ s: UnsafeMutablePointer<Double>, _ out: UnsafeMutablePointer<Double>) {
        // top[r] is the newest value of the ring at r, top[r - k] the value k candles earlier.
        let top = s + cursor.newest + ringCapacity
        let scratch = s + scratchOffset
        if let r = closeRing {
            let closes = top + r
            for i in 0..<closeStats.count {
                let w = closeStats[i]
                let first = closes - (w.window - 1)
                let mean = windowMean(first, w.window)
                s[w.offset] = mean
                s[w.offset + 1] = windowStd(first, w.window, mean: mean, scratch: scratch)
            }
        }
        if let r = volumeRing {
            let volumes = top + r
            for i in 0..<volumeMeans.count {
                let w = volumeMeans[i]
                s[w.offset] = windowMean(volumes - (w.window - 1), w.window)
            }
        }
        for j in 0..<ops.count {
            out[j] = value(ops[j], c, cursor.lowerLows, s, top)
        }
    }

    @inline(__always)
    private func value(_ op: FeatureOp, _ c: Candle, _ lowerLows: Int, _ s: UnsafeMutablePointer<Double>,
                       _ top: UnsafeMutablePointer<Double>) -> Double {
        switch op {
        case .logReturn(let lag, let closes):
            // log(c_t / c_{t-1}) is already in the log-return ring when a volatility keeps one.
            if lag == 1, let r = logReturnRing { return top[r] }
            return DMath.log(c.close / top[closes - lag])
        case .volatility(let n, let returns):
            let first = top + returns - (n - 1)
            return windowStd(first, n, mean: windowMean(first, n), scratch: s + scratchOffset)
        case .rsi(let value):
            return s[value] / 100
        case .macd(let fast, let slow):
            return (s[fast] - s[slow]) / c.close
        case .bollingerWidth(let stats, let width):
            return width * s[stats + 1] / s[stats]
        case .atr(let value):
            return s[value] / c.close
        case .volumeRatio(let mean):
            return s[mean] > 0 ? c.volume / s[mean] : 0
        case .emaDistance(let value):
            return c.close / s[value] - 1
        case .bodyRatio:
            let range = c.high - c.low
            return range > 0 ? (c.close - c.open).magnitude / range : 0
        case .zscore(let stats):
            return s[stats + 1] > 0 ? (c.close - s[stats]) / s[stats + 1] : 0
        case .logVolume:
            return DMath.log1p(c.volume)
        case .hourOfDay:
            return Double(floorModulo(floorDivision(c.timestamp, 3600), 24)) / 23
        case .dayOfWeek:
            // 1970-01-01 was a Thursday: day 0 is weekday 3 when Monday is 0.
            return Double(floorModulo(floorDivision(c.timestamp, 86400) + 3, 7)) / 6
        case .crashVelocity(let n, let ring):
            let closes = top + ring
            var top = closes[0]
            var since = 0
            var k = 1
            while k < n {  // newest to oldest, strict: the most recent maximum wins
                if closes[-k] > top {
                    top = closes[-k]
                    since = k
                }
                k += 1
            }
            return since > 0 ? (top - c.close) / top / Double(since) : 0
        case .sellPressure(let n, let redVolumes, let mean):
            let red = pairwiseSum(top + redVolumes - (n - 1), n)
            return s[mean] > 0 ? red / (Double(n) * s[mean]) : 0
        case .rsiMomentum(let ring, let lag):
            return (top[ring] - top[ring - lag]) / 100
        case .structuralBreakdown(let cap):
            return Double(min(lowerLows, cap)) / Double(cap)
        }
    }
}

/// Integer division rounding toward negative infinity (timestamps before 1970 included).
@inline(__always)
func floorDivision(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// The remainder of `floorDivision`, in 0..<b for b > 0.
@inline(__always)
func floorModulo(_ a: Int64, _ b: Int64) -> Int64 {
    let r = a % b
    return r < 0 ? r + b : r
}
