/// A feature definition with validated parameters, before storage offsets are known.
struct FeatureRequest {
    let kind: FeatureKind
    /// The integer parameters in order (window, period, lag, span or cap; 0 when absent).
    let a: Int
    let b: Int
    /// 2 k_sigma, for the Bollinger width.
    let width: Double

    init(_ f: FeatureDefinition, index: Int) throws(ModelcError) {
        func fail(_ why: String) -> ModelcError {
            ModelcError(.invalidModel, "feature \(index) '\(f.name)' (\(f.kind.label)): \(why)")
        }
        /// Checks the parameter count against `names`.
        func expect(_ names: [String]) throws(ModelcError) {
            guard f.params.count == names.count else {
                let list = names.isEmpty ? "no parameters" : "parameters (" + names.joined(separator: ", ") + ")"
                throw fail("takes \(list), got \(f.params.count)")
            }
        }
        func whole(_ i: Int, _ name: String) throws(ModelcError) -> Int {
            let v = f.params[i]
            guard v.isFinite, v >= 1, v <= Double(FeaturePlan.maxWindow), v == Double(Int(v)) else {
                throw fail("\(name) must be a whole number from 1 to \(FeaturePlan.maxWindow)")
            }
            return Int(v)
        }
        /// The single whole-number parameter `name`.
        func only(_ name: String) throws(ModelcError) -> Int {
            try expect([name])
            return try whole(0, name)
        }
        kind = f.kind
        var a = 0
        var b = 0
        var width = 0.0
        switch f.kind {
        case .logReturn: a = try only("lag")
        case .volatility, .volumeRatio, .zscore, .crashVelocity: a = try only("window")
        case .rsi, .atr: a = try only("period")
        case .emaDistance: a = try only("span")
        case .structuralBreakdown: a = try only("cap")
        case .bodyRatio, .logVolume, .hourOfDay, .dayOfWeek: try expect([])
        case .macd:
            try expect(["fast", "slow"])
            a = try whole(0, "fast")
            b = try whole(1, "slow")
            guard a < b else { throw fail("fast span must be shorter than slow span") }
        case .bollingerWidth:
            try expect(["window", "k_sigma"])
            a = try whole(0, "window")
            let k = f.params[1]
            guard k.isFinite, k > 0 else { throw fail("k_sigma must be a finite number > 0") }
            width = 2 * k
        case .sellPressure:
            try expect(["window", "volume_window"])
            a = try whole(0, "window")
            b = try whole(1, "volume_window")
        case .rsiMomentum:
            try expect(["period", "lag"])
            a = try whole(0, "period")
            b = try whole(1, "lag")
        }
        self.a = a
        self.b = b
        self.width = width
    }

    /// Position in a run from which the feature is defined.
    var firstDefinedPosition: Int {
        switch kind {
        case .logReturn, .volatility, .rsi, .atr: return a
        case .bollingerWidth, .volumeRatio, .zscore, .crashVelocity: return a - 1
        case .sellPressure: return max(a, b) - 1
        case .rsiMomentum: return a + b
        case .macd, .emaDistance, .bodyRatio, .logVolume, .hourOfDay, .dayOfWeek, .structuralBreakdown: return 0
        }
    }

    /// Declares the series and slots this feature reads (before offsets are assigned).
    func register(in plan: inout FeaturePlan.Builder) {
        plan.firstDefinedPosition = max(plan.firstDefinedPosition, firstDefinedPosition)
        switch kind {
        case .logReturn: plan.use(.close, depth: a + 1)
        case .volatility: plan.use(.logReturn, depth: a)
        case .rsi: _ = plan.rsi(a)
        case .macd:
            _ = plan.ema(a)
            _ = plan.ema(b)
        case .bollingerWidth, .zscore: _ = plan.closeStat(a)
        case .atr: _ = plan.atr(a)
        case .volumeRatio: _ = plan.volumeMean(a)
        case .emaDistance: _ = plan.ema(a)
        case .crashVelocity: plan.use(.close, depth: a)
        case .sellPressure:
            plan.use(.redVolume, depth: a)
            _ = plan.volumeMean(b)
        case .rsiMomentum: _ = plan.rsi(a, historyDepth: b + 1)
        case .structuralBreakdown: plan.lowerLowCap = max(plan.lowerLowCap, a)
        case .bodyRatio, .logVolume, .hourOfDay, .dayOfWeek: break
        }
    }

    /// The op with the ring and slot offsets laid out by `plan` (lookups of what `register`
    /// added, so the fallbacks never apply).
    func resolve(in plan: FeaturePlan.Builder) -> FeatureOp {
        func find<T>(_ slots: [T], _ match: (T) -> Bool) -> T? { slots.first(where: match) }
        let ema = { (span: Int) in find(plan.emas) { $0.span == span }?.offset ?? 0 }
        let rsi = find(plan.rsis) { $0.period == a }
        let closeStats = find(plan.closeStats) { $0.window == a }?.offset ?? 0
        let closes = plan.ring(plan.closeSeries) ?? 0
        switch kind {
        case .logReturn: return .logReturn(lag: a, closes: closes)
        case .volatility: return .volatility(window: a, returns: plan.ring(plan.logReturnSeries) ?? 0)
        case .rsi: return .rsi(value: rsi?.valueOffset ?? 0)
        case .macd: return .macd(fast: ema(a), slow: ema(b))
        case .bollingerWidth: return .bollingerWidth(stats: closeStats, width: width)
        case .atr: return .atr(value: find(plan.atrs) { $0.period == a }?.valueOffset ?? 0)
        case .volumeRatio: return .volumeRatio(mean: find(plan.volumeMeans) { $0.window == a }?.offset ?? 0)
        case .emaDistance: return .emaDistance(value: ema(a))
        case .bodyRatio: return .bodyRatio
        case .zscore: return .zscore(stats: closeStats)
        case .logVolume: return .logVolume
        case .hourOfDay: return .hourOfDay
        case .dayOfWeek: return .dayOfWeek
        case .crashVelocity: return .crashVelocity(window: a, closes: closes)
        case .sellPressure:
            return .sellPressure(window: a, redVolumes: plan.ring(plan.redVolumeSeries) ?? 0,
                                 mean: find(plan.volumeMeans) { $0.window == b }?.offset ?? 0)
        case .rsiMomentum: return .rsiMomentum(history: rsi?.historyRing ?? 0, lag: b)
        case .structuralBreakdown: return .structuralBreakdown(cap: a)
        }
    }
}
