import ModelcRuntime

/// Labelled windows over scaled feature rows: window `i` is the `sequenceLength` rows ending
/// at `windowEnds[i]` (inclusive), oldest first, with class `labels[i]`. `runStarts[i]` is the
/// first row of the gap-free run the window lies in: a time shift may move the window back
/// only that far (never forward, which would read candles after its label's decision time).
public struct SequenceDataset: Sendable {
    public let featureCount: Int
    public let sequenceLength: Int
    /// Row-major scaled features, `featureCount` per row.
    public let rows: [Float]
    public let windowEnds: [Int]
    public let labels: [Int32]
    public let runStarts: [Int]

    public init(featureCount: Int, sequenceLength: Int, rows: [Float], windowEnds: [Int], labels: [Int32],
                runStarts: [Int]) throws(ModelcError) {
        func fail(_ m: String) -> ModelcError { ModelcError(.invalidArgument, "sequence dataset: \(m)") }
        guard featureCount > 0, sequenceLength > 0 else { throw fail("\(sequenceLength) x \(featureCount) windows are empty") }
        guard rows.count % featureCount == 0 else { throw fail("\(rows.count) values do not make rows of \(featureCount)") }
        guard windowEnds.count == labels.count, windowEnds.count == runStarts.count else {
            throw fail("\(windowEnds.count) windows, \(labels.count) labels and \(runStarts.count) run starts differ")
        }
        let rowCount = rows.count / featureCount
        for i in windowEnds.indices {
            let end = windowEnds[i], start = end - sequenceLength + 1
            guard end < rowCount, runStarts[i] >= 0, start >= runStarts[i] else {
                throw fail("window \(i) (rows \(start)...\(end), run from \(runStarts[i])) is not inside the \(rowCount) rows")
            }
            guard labels[i] >= 0 else { throw fail("window \(i) has label \(labels[i])") }
        }
        if let bad = rows.firstIndex(where: { !$0.isFinite }) {
            throw fail("row \(bad / featureCount), feature \(bad % featureCount) is \(rows[bad])")
        }
        self.featureCount = featureCount
        self.sequenceLength = sequenceLength
        self.rows = rows
        self.windowEnds = windowEnds
        self.labels = labels
        self.runStarts = runStarts
    }

    /// Separate windows laid end to end (`[count, sequenceLength, featureCount]`); none can shift.
    public init(windows: [Float], labels: [Int32], sequenceLength: Int, featureCount: Int) throws(ModelcError) {
        let n = labels.count
        guard windows.count == n * sequenceLength * featureCount else {
            throw ModelcError(.invalidArgument, "sequence dataset: \(windows.count) values are not \(n) windows of \(sequenceLength) x \(featureCount)")
        }
        try self.init(featureCount: featureCount, sequenceLength: sequenceLength, rows: windows,
                      windowEnds: (0..<n).map { $0 * sequenceLength + sequenceLength - 1 }, labels: labels,
                      runStarts: (0..<n).map { $0 * sequenceLength })
    }

    public var count: Int { labels.count }

    /// Windows per class `0..<classes`; a label outside the range is an error naming the window.
    public func classCounts(_ classes: Int) throws(ModelcError) -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for (i, y) in labels.enumerated() {
            guard Int(y) < classes else { throw ModelcError(.invalidArgument, "window \(i) has label \(y); the network has \(classes) classes") }
            counts[Int(y)] += 1
        }
        return counts
    }

    /// Batch-major copy of every window (`[count, sequenceLength, featureCount]`).
    public var windows: [Float] {
        var out: [Float] = []
        out.reserveCapacity(count * sequenceLength * featureCount)
        for end in windowEnds { out += rows[((end - sequenceLength + 1) * featureCount)..<((end + 1) * featureCount)] }
        return out
    }
}
