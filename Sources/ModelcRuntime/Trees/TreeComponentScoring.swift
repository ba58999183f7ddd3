/// What a tree component gives for one row.
public struct TreeScore: Sendable, Equatable {
    /// Weighted mean of the members' margins.
    public var margin: Double
    /// The component's probability: the link of `margin` (COMBINE_MEAN_MARGIN, or one member),
    /// or the weighted mean of the members' probabilities (COMBINE_MEAN_PROBABILITY), then the
    /// component's calibrator when it has one (Spec.md §4.9).
    public var probability: Double
}

extension ComponentDefinition {
    /// True when every member is a tree ensemble (what tree scoring handles).
    public var isTreeComponent: Bool {
        !members.isEmpty && members.allSatisfy { if case .trees = $0.kind { true } else { false } }
    }

    /// Scores one row of `inputCount` values (no allocation on the way: this is the
    /// single-row latency path of the C ABI).
    public func scoreTrees(_ row: UnsafeBufferPointer<Double>) throws(ModelcError) -> TreeScore {
        try checkTreeScoring()
        guard row.count == inputCount else {
            throw ModelcError(.invalidArgument, "component '\(name)': a row needs \(inputCount) values, got \(row.count)")
        }
        var combination = TreeCombination(self)
        for member in members {
            guard case .trees(let forest) = member.kind else { continue }
            combination.add(try forest.margin(row), weight: member.weight, link: forest.link)
        }
        return combination.score
    }

    /// Scores `rowCount` rows of `inputCount` values stored one after another; the same bits
    /// as scoring each row alone.
    public func scoreTrees(rows: UnsafeBufferPointer<Double>, rowCount: Int) throws(ModelcError) -> [TreeScore] {
        var scores: [TreeScore] = []
        scores.reserveCapacity(rowCount)
        try scoreTrees(rows: rows, rowCount: rowCount) { _, score in scores.append(score) }
        return scores
    }

    /// The same, handing each row's score to `take` (row index, score) in row order.
    public func scoreTrees(rows: UnsafeBufferPointer<Double>, rowCount: Int,
                           _ take: (Int, TreeScore) -> Void) throws(ModelcError) {
        try checkTreeScoring()
        let width = inputCount
        guard rowCount >= 0, rows.count == rowCount * width else {
            throw ModelcError(.invalidArgument,
                "component '\(name)': \(rowCount) rows of \(width) values need \(rowCount * width) values, got \(rows.count)")
        }
        // Each member's margins, weight and link, taken out once (not per row: a forest holds
        // many arrays, and copying it out of its member retains every one).
        var perMember: [[Double]] = [], weights: [Double] = [], links: [TreeLink] = []
        for member in members {
            guard case .trees(let forest) = member.kind else { continue }
            var out = [Double](repeating: 0, count: rowCount)
            try out.withUnsafeMutableBufferPointer { (buf) throws(ModelcError) in
                try forest.margins(rows, rowCount: rowCount, stride: width, into: buf)
            }
            perMember.append(out)
            weights.append(member.weight)
            links.append(forest.link)
        }
        let start = TreeCombination(self)
        for r in 0..<rowCount {
            var combination = start
            for m in perMember.indices { combination.add(perMember[m][r], weight: weights[m], link: links[m]) }
            take(r, combination.score)
        }
    }

    private func checkTreeScoring() throws(ModelcError) {
        guard !members.isEmpty else {
            throw ModelcError(.invalidArgument, "component '\(name)' has no members")
        }
        for (m, member) in members.enumerated() {
            guard case .trees = member.kind else {
                throw ModelcError(.invalidArgument,
                    "component '\(name)': member \(m) is not a tree ensemble; tree scoring needs tree members only")
            }
        }
    }

    /// Load-time checks of a component with tree members (part of `validate()`): every ensemble
    /// reads the component's input width;
    /// COMBINE_MEAN_MARGIN members share a link.
    func validateTreeMembers() throws(ModelcError) {
        let forests = memberTrees.compactMap { $0 }
        guard !forests.isEmpty else { return }
        let width = inputCount
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

/// Weighted means of the members' margins, in member order, with shares `w_i / sum(w)` (a single
/// member's share is exactly 1, so its margin passes through unchanged).
private struct TreeCombination {
    let total: Double
    let meanMargin: Bool
    let calibrator: Calibrator?
    var margin = 0.0, probability = 0.0
    var count = 0
    var firstLink = TreeLink.identity

    init(_ component: ComponentDefinition) {
        var total = 0.0
        for member in component.members { total += member.weight }
        self.total = total
        self.meanMargin = component.combine == .meanMargin
        self.calibrator = component.calibrator
    }

    mutating func add(_ m: Double, weight: Double, link: TreeLink) {
        let share = weight / total
        margin = count == 0 ? share * m : margin + share * m
        if !meanMargin {
            let p = link == .logistic ? DMath.sigmoid(m) : m
            probability = count == 0 ? share * p : probability + share * p
        }
        if count == 0 { firstLink = link }
        count += 1
    }

    /// COMBINE_MEAN_MARGIN: the link of the mean margin; otherwise the mean of the members'
    /// probabilities (for one member, its share is 1: the link of its margin).
    var score: TreeScore {
        var p = probability
        if meanMargin { p = firstLink == .logistic ? DMath.sigmoid(margin) : margin }
        if let calibrator { p = calibrator.apply(p) }
        return TreeScore(margin: margin, probability: p)
    }
}
