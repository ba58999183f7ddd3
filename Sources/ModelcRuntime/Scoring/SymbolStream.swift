/// One symbol's live state: candles in, scores out. Feeds the model's feature engine, keeps the
/// last feature rows in a ring, scores every component whose window is full of rows from the
/// current gap-free run, and blends (Spec.md §4.6). Streaming and replaying a file give the same
/// bits, because both are this code. It also keeps the last candles of the run, so another
/// model can take over without a warm-up gap (`setModel`, Spec.md §4.7).
public struct SymbolStream: Sendable {
    /// Candles of history every stream keeps at least, so a model with a longer warm-up than the
    /// current one can still take over without a gap.
    public static let minimumHistory = 512


    public let model: LoadedModel
    private var engine: FeatureEngine
    private var row: [Double]
    /// The last `capacity` feature rows, oldest overwritten first.
    private var ring: [Double]
    private let capacity: Int
    private var next = 0
    /// Consecutive feature rows of the current run, capped at `capacity`.
    private var filled = 0
    /// The last candles of the current run, replayed into a new model by `setModel`.
    private var history: CandleHistory
    /// A position the blend holds across candles (Spec.md §4.6.2).
    private var policy = PolicyState()
    /// Scoring's working memory: sized by the first score of each component, so that later
    /// pushes allocate nothing (Spec.md §8, "Allocation"). A copy of the stream makes its own.
    private var arena = ScratchArena()
    /// Each component's probability at the last push (NaN: not scored); empty before the first.
    public private(set) var lastProbabilities: [Double] = []

    public init(model: LoadedModel) throws(ModelcError) {
        guard !model.features.isEmpty else {
            throw ModelcError(.invalidArgument,
                "model '\(model.name)' computes no features from candles; score precomputed inputs instead")
        }
        self.model = model
        engine = try FeatureEngine(features: model.features, intervalSeconds: model.intervalSeconds, warmup: model.warmup)
        capacity = max(1, model.components.map { $0.window }.max() ?? 1)
        row = [Double](repeating: 0, count: model.features.count)
        ring = [Double](repeating: 0, count: capacity * model.features.count)
        history = CandleHistory(capacity: max(Self.minimumHistory, engine.warmup + capacity))
    }

    /// Candles a fresh stream needs before every component can score.
    public var warmupCandles: Int { engine.warmup + capacity }

    /// Forgets the stream; the next candle starts a new run.
    public mutating func reset() {
        engine.reset()
        filled = 0
        history.removeAll()
        policy = PolicyState()
        lastProbabilities = []
    }

    /// Candles of the current run the stream holds for a model swap.
    public var historyCount: Int { history.count }

    /// Consumes one candle. An invalid candle (Spec.md "Features") is refused and changes nothing.
    public mutating func push(_ candle: Candle) throws(ModelcError) -> StreamScore {
        let ready = try advance(candle)
        prepareScores()
        for (i, c) in model.components.enumerated() {
            lastProbabilities[i] = scores(c, ready: ready) ? try score(c) : .nan
        }
        return finish(timestamp: candle.timestamp)
    }

    /// Before a candle's probabilities are written: one NaN per component (written in place: the
    /// array is this stream's alone again once the last score is gone) and an arena of its own.
    mutating func prepareScores() {
        if lastProbabilities.count != model.components.count {
            lastProbabilities = [Double](repeating: .nan, count: model.components.count)
        }
        for i in lastProbabilities.indices { lastProbabilities[i] = .nan }
        if !isKnownUniquelyReferenced(&arena) { arena = ScratchArena() }
    }

    /// Whether component `c` scores the candle just consumed (`ready`: it yielded a feature row):
    /// its window is full of rows from the current run.
    func scores(_ c: ComponentDefinition, ready: Bool) -> Bool { ready && filled >= c.window }

    /// Copies `c`'s inputs over its window (oldest row first, `c.window × inputs` values) from
    /// the ring into `window`.
    func gather(_ c: ComponentDefinition, into window: UnsafeMutablePointer<Double>) {
        let n = model.features.count, inputs = c.inputFeatures.count
        for s in 0..<c.window {
            let slot = (next - c.window + s + capacity) % capacity
            for (j, f) in c.inputFeatures.enumerated() { window[s * inputs + j] = ring[slot * n + f] }
        }
    }

    /// The stream's arena, lent to `mc_score_batch` to score its model's windows in (a stream is
    /// used by one thread at a time, so the arena is free while the batch holds the stream).
    var scratch: ScratchArena { arena }

    /// Sets component `index`'s probability for the candle just consumed (scored elsewhere, as
    /// `mc_score_batch` scores several streams' windows together).
    mutating func setProbability(_ p: Double, component index: Int) { lastProbabilities[index] = p }

    /// The candle's score from the probabilities written since `prepareScores` (the blend's
    /// policy steps once).
    mutating func finish(timestamp: Int64) -> StreamScore {
        StreamScore(timestamp: timestamp, probabilities: lastProbabilities, blend: model.blend, policy: &policy)
    }

    /// Hands the stream to `newModel` (Spec.md §4.7): a fresh stream of it is fed the last
    /// `min(historyCount, newModel's warmupCandles)` candles, without scoring them, and takes this
    /// one's place with the whole history. So the next push scores exactly as a fresh stream of
    /// `newModel` fed those candles and then that one would. Refused, changing nothing, when the
    /// models' candle intervals differ or `newModel` computes no features.
    public mutating func setModel(_ newModel: LoadedModel) throws(ModelcError) {
        guard newModel.intervalSeconds == model.intervalSeconds else {
            throw ModelcError(.invalidArgument,
                "model '\(newModel.name)' reads \(newModel.intervalSeconds)-second candles, the stream's model '\(model.name)' \(model.intervalSeconds)-second ones; a stream keeps one interval")
        }
        var successor = try SymbolStream(model: newModel)
        let replayed = min(history.count, successor.warmupCandles)
        for i in (history.count - replayed)..<history.count {
            _ = try successor.advance(history[i])
        }
        successor.history = history
        successor.history.reserve(successor.warmupCandles)
        self = successor
    }

    /// Consumes one candle without scoring it: the engine, the row ring and the history end up as
    /// `push` leaves them, so a replay can skip scoring the candles before the span it looks at.
    /// True when the candle yielded a feature row.
    @discardableResult
    public mutating func advance(_ candle: Candle) throws(ModelcError) -> Bool {
        let step = try engine.push(candle, into: &row)
        if step.positionInRun == 0 { history.removeAll() }  // a new run: after a gap, a reset, or the first candle
        history.append(candle)
        if step.gap != nil || !step.isReady { filled = 0 }
        if step.isReady {
            let n = row.count
            for f in 0..<n { ring[next * n + f] = row[f] }
            next = (next + 1) % capacity
            // A non-finite feature (extreme but valid candles can overflow a sum) is invalid data:
            // like a gap, it restarts the run of rows a window may span (Spec.md §4.7).
            filled = row.allSatisfy({ $0.isFinite }) ? min(filled + 1, capacity) : 0
        }
        return step.isReady
    }

    /// The component's probability from its inputs over its window, gathered into the arena.
    private func score(_ c: ComponentDefinition) throws(ModelcError) -> Double {
        defer { arena.reset() }
        let size = c.window * c.inputFeatures.count
        let window = arena.take(Double.self, size)
        gather(c, into: window)
        return try c.probability(window: UnsafeBufferPointer(start: window, count: size), arena: arena)
    }
}

/// The score of one candle.
public struct StreamScore: Sendable {
    public var timestamp: Int64
    /// One per component, in model order; NaN while a component is not warmed up.
    public var probabilities: [Double]
    public var pUp: Double
    public var pLong: Double
    public var pShort: Double
    public var decision: BlendDecision
    /// True when every component the blend reads has a probability.
    public var ready: Bool

    init(timestamp: Int64, probabilities: [Double], blend: BlendDefinition?, policy: inout PolicyState) {
        self.timestamp = timestamp
        self.probabilities = probabilities
        let r = blend?.read(probabilities) ?? BlendReading()
        pUp = r.pUp
        pLong = r.pLong
        pShort = r.pShort
        ready = r.ready
        decision = blend.map { policy.step(r, blend: $0) } ?? r.decision
    }
}
