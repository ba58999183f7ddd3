import ModelcData
import ModelcRuntime
import ModelcTraining

/// The build's time splits: the holdout (the last span of the data), the purged walk-forward
/// windows before it, and the final training span right before the holdout. Every split goes
/// through `LeakageCheck`, which proves from the rows alone that no training label reaches into
/// the span it is tested on.
struct SplitPlan {
    let windows: [WalkForwardWindow]
    let final: WalkForwardWindow
    let holdoutStart: Int64
    /// The end of the data used (exclusive).
    let dataEnd: Int64

    init(config: BuildConfig, symbols: [SymbolData], interval: Int64) throws {
        let wf = config.walkForward
        let horizon = config.labels.horizon
        let purge = wf.purge ?? Int64(horizon) * interval
        let lastUsable = symbols.compactMap { s in s.timestamps.indices.last { s.usable[$0] }.map { s.timestamps[$0] } }.max()
        guard let lastUsable else { throw BuildConfigError("no usable rows: the data is shorter than the warm-up, the window and the label horizon") }
        dataEnd = lastUsable + interval
        let holdout = wf.holdout ?? wf.test
        let holdoutStart = dataEnd - holdout
        self.holdoutStart = holdoutStart
        let all = symbols.map(\.series)
        // Walk-forward sees only rows whose labels settle before the holdout starts.
        let before = symbols.map { s in
            LabelledSeries(name: s.name, timestamps: s.timestamps,
                           labelled: s.timestamps.indices.map { s.usable[$0] && s.timestamps[$0] < holdoutStart - purge })
        }
        let first = symbols.compactMap { s in s.timestamps.indices.first { s.usable[$0] }.map { s.timestamps[$0] } }.min()!
        windows = try WalkForward.split(before, config: WalkForwardConfig(
            scheme: wf.scheme, trainSpan: wf.train, testSpan: wf.test, step: wf.step, count: wf.windows, horizon: horizon,
            interval: interval, purge: purge, start: first))
        try LeakageCheck.verify(windows, series: before, horizon: horizon, interval: interval)
        let finalSplit = try WalkForward.split(all, config: WalkForwardConfig(
            scheme: .rolling, trainSpan: wf.train, testSpan: holdout, count: 1, horizon: horizon, interval: interval, purge: purge,
            start: holdoutStart - purge - wf.train))
        try LeakageCheck.verify(finalSplit, series: all, horizon: horizon, interval: interval)
        final = finalSplit[0]
    }
}
