import ModelcRuntime

/// The snapshot ensemble: the best epochs' networks, joined as the format's
/// `COMBINE_MEAN_PROBABILITY` joins members — the mean of their positive-class probabilities.
public struct SnapshotEnsemble: Sendable {
    public let members: [SequenceModel]

    public init(_ members: [SequenceModel]) throws(ModelcError) {
        guard let first = members.first else { throw ModelcError(.invalidArgument, "an ensemble needs at least one member") }
        guard members.allSatisfy({ $0.spec == first.spec }) else {
            throw ModelcError(.invalidArgument, "ensemble members must share one architecture")
        }
        self.members = members
    }

    /// Mean over members of softmax(logits)[positiveClass], one value per window (windows
    /// batch-major, as `SequenceModel.logits`).
    public func probabilities(windows: [Float], count: Int, positiveClass: Int = 1, threads: Int = 1) throws(ModelcError) -> [Double] {
        var sum = [Double](repeating: 0, count: count)
        for m in members {
            let logits = try m.logits(windows: windows, count: count, threads: threads)
            for i in 0..<count {
                let row = logits[(i * m.classes)..<((i + 1) * m.classes)].map(Double.init)
                let top = row.max()!
                let e = row.map { Double.exp($0 - top) }
                sum[i] += e[positiveClass] / e.reduce(0, +)
            }
        }
        return sum.map { $0 / Double(members.count) }
    }
}
