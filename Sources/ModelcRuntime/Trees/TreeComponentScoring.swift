import CModelcKernels

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

    /// Scores one row of `inputCount` values (no allocation on the way unless a forest's
    /// expanded row outgrows the kernel's stack: this is the single-row latency path of the C ABI).
    public func scoreTrees(_ row: UnsafeBufferPointer<Double>) throws(ModelcError) -> TreeScore {
        let arena = ScratchArena()
        defer { arena.reset() }
        return try scoreTrees(row, arena: arena)
    }

    /// The same, any scratch a forest needs taken from `arena`.
    func scoreTrees(_ row: UnsafeBufferPointer<Double>, arena: ScratchArena) throws(ModelcError) -> TreeScore {
        try checkTreeScoring()
        guard row.count == inputCount else {
            throw ModelcError(.invalidArgument, "component '\(name)': a row needs \(inputCount) values, got \(row.count)")
        }
        var combination = TreeCombination(self)
        for member in members {
            guard case .trees(let forest) = member.kind else { continue }
            let margin = try forest.margin(row, arena: arena)
            let probability = combination.needsProbability(forest.link) ? try forest.probability(row, margin: margin, arena: arena) : margin
            combination.add(margin, probability: probability, weight: member.weight, link: forest.link)
        }
        return combination.score
    }

    /// Scores `rowCount` rows of `inputCount` values stored one after another; the same bits
    /// as scoring each row alone.
    public func scoreTrees(rows: UnsafeBufferPointer<Double>, rowCount: Int) throws(ModelcError) -> [TreeScore] {
        var scores: [TreeScore] = []
        scores.reserveCapacity(rowCount)
        let arena = ScratchArena()
        defer { arena.reset() }
        try scoreTrees(rows: rows, rowCount: rowCount, arena: arena) { _, score in scores.append(score) }
        return scores
    }

    /// The same, handing each row's score to `take` (row index, score) in row order. Rows go
    /// through in blocks of `MCK_BIN_BLOCK` (the blocks the batch kernel scores anyway), so the
    /// members' margins and the kernel's scratch, taken from `arena`, have one size whatever
    /// the count.
    func scoreTrees(rows: UnsafeBufferPointer<Double>, rowCount: Int, arena: ScratchArena,
                    _ take: (Int, TreeScore) -> Void) throws(ModelcError) {
        try checkTreeScoring()
        let width = inputCount
        guard rowCount >= 0, rows.count == rowCount * width else {
            throw ModelcError(.invalidArgument,
                "component '\(name)': \(rowCount) rows of \(width) values need \(rowCount * width) values, got \(rows.count)")
        }
        let block = Int(MCK_BIN_BLOCK)
        let mark = arena.mark
        defer { arena.release(to: mark) }
        // Each member's weight and link, taken out once (not per row: a forest holds many
        // arrays, and copying it out of its member retains every one).
        let count = members.count
        let margins = arena.take(Double.self, count * block), probabilities = arena.take(Double.self, count * block)
        let weights = arena.take(Double.self, count), links = arena.take(TreeLink.self, count)
        for (m, member) in members.enumerated() {
            guard case .trees(let forest) = member.kind else { continue }
            weights[m] = member.weight
            links[m] = forest.link
        }
        let start = TreeCombination(self)
        for first in stride(from: 0, to: rowCount, by: block) {
            let n = min(block, rowCount - first)
            let blockRows = UnsafeBufferPointer(rebasing: rows[(first * width)..<((first + n) * width)])
            for (m, member) in members.enumerated() {
                guard case .trees(let forest) = member.kind else { continue }
                let out = UnsafeMutableBufferPointer(start: margins + m * block, count: n)
                try forest.margins(blockRows, rowCount: n, stride: width, into: out, arena: arena)
                if start.needsProbability(forest.link) {
                    try forest.probabilities(blockRows, rowCount: n, stride: width, margins: out,
                                             into: UnsafeMutableBufferPointer(start: probabilities + m * block, count: n), arena: arena)
                }
            }
            for r in 0..<n {
                var combination = start
                for m in 0..<count {
                    let margin = margins[m * block + r]
                    let probability = start.needsProbability(links[m]) ? probabilities[m * block + r] : margin
                    combination.add(margin, probability: probability, weight: weights[m], link: links[m])
                }
                take(first + r, combination.score)
            }
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
            if combine == .meanMargin && forest.link == .softmax && members.count > 1 {
                throw ModelcError(.invalidModel,
                    "component '\(name)', member \(m): LINK_SOFTMAX members are joined by COMBINE_MEAN_PROBABILITY (a class margin alone has no softmax)")
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

    /// Whether a member of `link` needs its probability: under COMBINE_MEAN_PROBABILITY, or
    /// LINK_SOFTMAX (whose probability the margin alone does not give).
    func needsProbability(_ link: TreeLink) -> Bool { !meanMargin || link == .softmax }

    /// Adds a member's margin and (when `needsProbability`) its probability.
    mutating func add(_ m: Double, probability p: Double, weight: Double, link: TreeLink) {
        let share = weight / total
        margin = count == 0 ? share * m : margin + share * m
        if needsProbability(link) {
            probability = count == 0 ? share * p : probability + share * p
        }
        if count == 0 { firstLink = link }
        count += 1
    }

    /// COMBINE_MEAN_MARGIN: the link of the mean margin (a LINK_SOFTMAX member is alone: its
    /// probability); otherwise the mean of the members' probabilities (for one member, its share
    /// is 1: its probability).
    var score: TreeScore {
        var p = probability
        if meanMargin && firstLink != .softmax { p = firstLink == .logistic ? DMath.sigmoid(margin) : margin }
        if let calibrator { p = calibrator.apply(p) }
        return TreeScore(margin: margin, probability: p)
    }
}
