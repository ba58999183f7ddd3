/// What a tree component gives for one row.
public struct TreeScore: Sendable, Equatable {
    /// Weighted mean of the members' margins.
    public var margin: Double
    /// The component's probability: the link of `margin` (COMBINE_MEAN_MARGIN, or one member),
    /// or the weighted mean of the members' probabilities (COMBINE_MEAN_PROBABILITY).
    public var probability: Double
}

extension ComponentDefinition {
    /// True when every member is a tree ensemble (what tree scoring handles).
    public var isTreeComponent: Bool {
        !memberTrees.isEmpty && memberTrees.allSatisfy { $0 != nil }
    }

    /// Values per input row: the component's listed features, or the ensembles' feature count
    /// when the component reads caller-supplied rows (an imported model with no feature spec).
    public var treeRowWidth: Int {
        guard inputFeatures.isEmpty else { return inputFeatures.count }
        for case let forest? in memberTrees { return forest.numFeatures }
        return 0
    }

    /// Scores one row of `treeRowWidth` values.
    public func scoreTrees(_ row: UnsafeBufferPointer<Double>) throws(ModelcError) -> TreeScore {
        let forests = try treeForests()
        guard row.count == treeRowWidth else {
            throw ModelcError(.invalidArgument, "component '\(name)': a row needs \(treeRowWidth) values, got \(row.count)")
        }
        var margins = [Double](repeating: 0, count: forests.count)
        for (m, forest) in forests.enumerated() { margins[m] = try forest.margin(row) }
        return combine(margins, forests)
    }

    /// Scores `rowCount` rows of `treeRowWidth` values stored one after another; the same bits
    /// as scoring each row alone.
    public func scoreTrees(rows: UnsafeBufferPointer<Double>, rowCount: Int) throws(ModelcError) -> [TreeScore] {
        let forests = try treeForests()
        let width = treeRowWidth
        guard rowCount >= 0, rows.count == rowCount * width else {
            throw ModelcError(.invalidArgument,
                "component '\(name)': \(rowCount) rows of \(width) values need \(rowCount * width) values, got \(rows.count)")
        }
        var perMember: [[Double]] = []
        for forest in forests {
            var out = [Double](repeating: 0, count: rowCount)
            try out.withUnsafeMutableBufferPointer { (buf) throws(ModelcError) in
                try forest.margins(rows, rowCount: rowCount, stride: width, into: buf)
            }
            perMember.append(out)
        }
        var scores: [TreeScore] = []
        scores.reserveCapacity(rowCount)
        var margins = [Double](repeating: 0, count: forests.count)
        for r in 0..<rowCount {
            for m in 0..<forests.count { margins[m] = perMember[m][r] }
            scores.append(combine(margins, forests))
        }
        return scores
    }

    private func treeForests() throws(ModelcError) -> [TreeForest] {
        var forests: [TreeForest] = []
        for (m, forest) in memberTrees.enumerated() {
            guard let forest else {
                throw ModelcError(.invalidArgument,
                    "component '\(name)': member \(m) is not a tree ensemble; tree scoring needs tree members only")
            }
            forests.append(forest)
        }
        guard !forests.isEmpty else {
            throw ModelcError(.invalidArgument, "component '\(name)' has no members")
        }
        return forests
    }

    /// Weighted means in member order with shares `w_i / sum(w)` (a single member's share is
    /// exactly 1, so its margin passes through unchanged).
    private func combine(_ margins: [Double], _ forests: [TreeForest]) -> TreeScore {
        var total = 0.0
        for w in memberWeights { total += w }
        var margin = 0.0, probability = 0.0
        for m in 0..<margins.count {
            let share = memberWeights[m] / total
            let p = forests[m].link == .logistic ? DMath.sigmoid(margins[m]) : margins[m]
            margin = m == 0 ? share * margins[m] : margin + share * margins[m]
            probability = m == 0 ? share * p : probability + share * p
        }
        if combine == .meanMargin || margins.count == 1 {
            probability = forests[0].link == .logistic ? DMath.sigmoid(margin) : margin
        }
        return TreeScore(margin: margin, probability: probability)
    }

    /// Load-time checks of a component with tree members (called by the loader): weights are
    /// finite, non-negative and not all zero; every ensemble reads the same row width, which is
    /// the component's input width when it lists features; COMBINE_MEAN_MARGIN members share a
    /// link.
    func validateTreeMembers() throws(ModelcError) {
        let forests = memberTrees.compactMap { $0 }
        guard !forests.isEmpty else { return }
        var total = 0.0
        for (m, w) in memberWeights.enumerated() {
            guard w.isFinite, w >= 0 else {
                throw ModelcError(.invalidModel, "component '\(name)', member \(m): weight must be finite and >= 0")
            }
            total += w
        }
        guard total > 0, total.isFinite else {
            throw ModelcError(.invalidModel, "component '\(name)': member weights must sum to a finite positive number")
        }
        let width = treeRowWidth
        for (m, forest) in memberTrees.enumerated() {
            guard let forest else { continue }
            guard forest.numFeatures == width else {
                throw ModelcError(.invalidModel,
                    "component '\(name)', member \(m): the ensemble reads \(forest.numFeatures) features, the component supplies \(width)")
            }
            if combine == .meanMargin && forest.link != forests[0].link {
                throw ModelcError(.invalidModel,
                    "component '\(name)', member \(m): COMBINE_MEAN_MARGIN needs one link for all members")
            }
        }
    }
}
