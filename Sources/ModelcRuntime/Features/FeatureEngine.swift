/// Candles in, features out: the one feature implementation, used by the runtime when it scores
/// and by the trainer when it builds training rows, so the two cannot drift apart.
///
/// One engine follows one symbol. Push candles in time order; once a gap-free run is past its
/// warm-up, every candle yields its feature row (Spec.md, "Features", has every formula). A
/// candle that does not follow the previous one by exactly `intervalSeconds` starts a new run:
/// the state is reset first and the step reports the gap. An invalid candle is refused with a
/// `ModelcError` and leaves the engine exactly as it was (its time slot stays empty, so the
/// next valid candle starts a new run unless it is the slot's replacement). A candle stamped
/// after `latestTimestamp` is refused rather than adopted: once adopted, every real candle after
/// it would be refused as "not after the previous". A valid but extreme candle (prices near
/// 1e308) that overflows a smoothed state or its row is consumed, and the next candle starts a
/// new run as after a gap, so the stream recovers by itself (Spec.md §8).
///
/// All state lives in fixed-size rings and slots allocated at init: a push allocates nothing.
/// Only what the requested features need is kept and computed. The engine is a value: a copy
/// is an independent snapshot of the stream.
public struct FeatureEngine: Sendable {
    /// The columns of every row, in order.
    public let features: [FeatureDefinition]
    /// Seconds between consecutive candles of a run.
    public let intervalSeconds: Int64
    /// Candles at the start of each run that yield no row.
    public let warmup: Int

    let plan: FeaturePlan
    var storage: FeatureStorage
    var cursor = FeatureCursor()

    /// The latest candle time accepted: 2100-01-01T00:00:00Z, in unix seconds.
    public static let latestTimestamp: Int64 = 4_102_444_800

    /// Number of features in a row.
    public var featureCount: Int { features.count }

    /// An engine for `features` (validated here: parameters, and that each is defined by the
    /// end of the warm-up). `intervalSeconds` is the candle interval of the feature spec.
    public init(features: [FeatureDefinition], intervalSeconds: Int = 3600,
                warmup: Int = FeatureCatalog.defaultWarmup) throws(ModelcError) {
        let plan = try Self.plan(features, intervalSeconds: intervalSeconds, warmup: warmup)
        self.features = features
        self.intervalSeconds = Int64(intervalSeconds)
        self.warmup = warmup
        self.plan = plan
        storage = FeatureStorage(count: plan.storageCount)
    }

    /// Checks a feature spec (parameters, interval, and that each feature is defined by the end
    /// of the warm-up) and lays out its plan. The model loader calls it too, so an artifact whose
    /// features cannot be computed is refused when it is opened, not when a stream is created.
    static func plan(_ features: [FeatureDefinition], intervalSeconds: Int, warmup: Int) throws(ModelcError) -> FeaturePlan {
        guard intervalSeconds > 0 else {
            throw ModelcError(.invalidModel, "feature interval must be > 0 seconds, got \(intervalSeconds)")
        }
        guard warmup >= 0 else { throw ModelcError(.invalidModel, "feature warm-up must be >= 0, got \(warmup)") }
        let plan = try FeaturePlan.make(features)
        guard warmup >= plan.firstDefinedPosition else {
            throw ModelcError(.invalidModel,
                "feature warm-up of \(warmup) candles is too short: these features need \(plan.firstDefinedPosition)")
        }
        return plan
    }

    /// Forgets the stream: the next candle starts a new run (no gap is reported for it).
    public mutating func reset() {
        cursor = FeatureCursor()
    }

    /// Consumes one candle; when the step is ready, `row[0..<featureCount]` holds its features.
    @discardableResult
    public mutating func push(_ candle: Candle, into row: UnsafeMutableBufferPointer<Double>) throws(ModelcError) -> FeatureStep {
        guard let out = row.baseAddress, row.count >= featureCount else {
            throw ModelcError(.invalidArgument, "feature row holds \(row.count) values, the engine writes \(featureCount)")
        }
        try Self.check(candle)
        var gap: FeatureGap?
        if let p = cursor.previous {
            guard candle.timestamp > p.timestamp else {
                throw ModelcError(.invalidArgument,
                    "timestamp \(candle.timestamp): not after the previous candle's \(p.timestamp)")
            }
            let (delta, overflow) = candle.timestamp.subtractingReportingOverflow(p.timestamp)
            if overflow || delta != intervalSeconds {
                gap = FeatureGap(previousTimestamp: p.timestamp, timestamp: candle.timestamp)
                cursor.position = 0
            }
        }
        if cursor.overflowed { cursor.position = 0 }
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        let s = storage.values
        let pos = cursor.position
        plan.advance(candle, &cursor, s)
        let ready = pos >= warmup
        if ready { plan.writeRow(candle, cursor, s, out) }
        cursor.overflowed = !plan.smoothedStateIsFinite(pos, s) || (ready && !Self.allFinite(out, featureCount))
        cursor.previous = candle
        cursor.position += 1
        return FeatureStep(isReady: ready, positionInRun: pos, gap: gap)
    }

    /// `push(_:into:)` for an array, which is resized to `featureCount` first if needed.
    @discardableResult
    public mutating func push(_ candle: Candle, into row: inout [Double]) throws(ModelcError) -> FeatureStep {
        if row.count != featureCount { row = [Double](repeating: .nan, count: featureCount) }
        return try row.withUnsafeMutableBufferPointer { (buffer) throws(ModelcError) -> FeatureStep in
            try push(candle, into: buffer)
        }
    }

    /// Whether the first `count` values of a row are all finite: x·0 is 0 for a finite x and NaN
    /// otherwise, so one branch-free sum tells (this runs for every candle).
    static func allFinite(_ row: UnsafeMutablePointer<Double>, _ count: Int) -> Bool {
        var probe = 0.0
        for i in 0..<count { probe += row[i] * 0 }
        return probe == 0
    }

    /// Refuses candles no feature can be computed from, and times no real candle has yet.
    static func check(_ c: Candle) throws(ModelcError) {
        func refuse(_ what: String) -> ModelcError {
            ModelcError(.invalidArgument, "timestamp \(c.timestamp): \(what)")
        }
        guard c.timestamp <= latestTimestamp else {
            throw refuse("after 2100-01-01T00:00:00Z (\(latestTimestamp)); refused, not adopted, so later candles are still accepted")
        }
        guard c.open.isFinite, c.open > 0 else { throw refuse("open must be a finite price > 0") }
        guard c.high.isFinite, c.high > 0 else { throw refuse("high must be a finite price > 0") }
        guard c.low.isFinite, c.low > 0 else { throw refuse("low must be a finite price > 0") }
        guard c.close.isFinite, c.close > 0 else { throw refuse("close must be a finite price > 0") }
        guard c.volume.isFinite, c.volume >= 0 else { throw refuse("volume must be a finite number >= 0") }
        guard c.high >= c.low else { throw refuse("high is below low") }
    }
}
