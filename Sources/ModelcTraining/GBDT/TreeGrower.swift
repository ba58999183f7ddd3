/// Grows one tree on the current gradients, depth-wise or leaf-wise. Per split: partition the
/// node's rows, build the histogram of the child with fewer rows, derive the sibling's as
/// parent minus child, and search both children's best splits — histogram, subtraction and
/// search of each feature in one parallel step over the features.
final class TreeGrower {
    private let data: BinnedMatrix
    private let rules: SplitRules
    private let learningRate: Double
    private let maxDepth: Int
    private let maxLeaves: Int
    private let pool: WorkerPool
    let partition: RowPartition
    private let histograms: HistogramPool
    /// (gradient, hessian) of each row, filled by the trainer.
    let gradients: UnsafeMutablePointer<SIMD2<Float>>
    private let nanBins: [Int]
    /// Rows below which a node is histogrammed and searched on one thread. The search costs up
    /// to bins × features whatever the rows, so even small nodes are worth sharing.
    private static let parallelRows = 128

    private struct Leaf {
        var node: Int
        var rows: Range<Int>
        var depth: Int
        var sums: NodeSums
        var hist: UnsafeMutablePointer<SIMD2<Double>>?
        var best: SplitCandidate?
    }

    init(data: BinnedMatrix, parameters: GBDTParameters, pool: WorkerPool) {
        self.data = data
        rules = SplitRules(parameters)
        learningRate = parameters.learningRate
        (maxDepth, maxLeaves) = parameters.limits
        self.pool = pool
        partition = RowPartition(capacity: data.rows)
        histograms = HistogramPool(slots: data.offsets.last!)
        gradients = .allocate(capacity: data.rows)
        nanBins = data.bins.map(\.nanBin)
    }

    deinit { gradients.deallocate() }

    /// Grows a tree on the partition's current rows (set by the trainer) using only `features`
    /// (ascending).
    func grow(features: [Int]) -> GrownTree {
        var tree = GrownTree()
        let sums = rootSums()
        var root = Leaf(node: tree.addNode(), rows: 0..<partition.count, depth: 0, sums: sums)
        if rules.mayBeSplit(sums) {
            let hist = histograms.take()
            root.hist = hist
            root.best = searchChildren(built: (root.rows, sums, hist, true), derived: nil, features: features).built
            if root.best == nil {
                histograms.give(hist)
                root.hist = nil
            }
        }
        let open = maxLeaves == 0 ? growDepthWise(root, &tree, features) : growLeafWise(root, &tree, features)
        for leaf in open { finish(leaf, in: &tree) }
        return tree
    }

    /// Gradient and hessian sums of the partition's rows: per fixed block of rows in parallel,
    /// then the blocks in order.
    private func rootSums() -> NodeSums {
        let blockSize = 16_384
        let (count, indices, gradients) = (partition.count, partition.indices, gradients)
        var blocks = [SIMD2<Double>](repeating: .zero, count: (count + blockSize - 1) / blockSize)
        blocks.withUnsafeMutableBufferPointer { blocks in
            pool.forEachBlock(count, blockSize: blockSize) { block in
                var sum = SIMD2<Double>.zero
                for i in block { sum += SIMD2<Double>(gradients[Int(indices[i])]) }
                blocks[block.lowerBound / blockSize] = sum
            }
        }
        let total = blocks.reduce(SIMD2<Double>.zero, +)
        return NodeSums(g: total.x, h: total.y, n: Double(count))
    }

    /// Splits every splittable node of a level, in node order, down to maxDepth; returns the
    /// leaves still open.
    private func growDepthWise(_ root: Leaf, _ tree: inout GrownTree, _ features: [Int]) -> [Leaf] {
        var open = [root]
        for depth in 0..<maxDepth {
            var next: [Leaf] = []
            for leaf in open {
                if leaf.best != nil {
                    let (l, r) = split(leaf, in: &tree, features: features, childrenMaySplit: depth + 1 < maxDepth)
                    next += [l, r]
                } else {
                    finish(leaf, in: &tree)
                }
            }
            open = next
        }
        return open
    }

    /// Splits the leaf with the largest gain (ties: the lowest node index) until the tree has
    /// maxLeaves leaves or none can split; returns the leaves.
    private func growLeafWise(_ root: Leaf, _ tree: inout GrownTree, _ features: [Int]) -> [Leaf] {
        var open = [root]
        while open.count < maxLeaves {
            var pick: Int?
            for (i, leaf) in open.enumerated() {
                guard let gain = leaf.best?.gain else { continue }
                if let p = pick, let best = open[p].best {
                    if gain < best.gain || (gain == best.gain && leaf.node > open[p].node) { continue }
                }
                pick = i
            }
            guard let p = pick else { break }
            let leaf = open.remove(at: p)
            let childrenMaySplit = open.count + 2 < maxLeaves && (maxDepth == 0 || leaf.depth + 1 < maxDepth)
            let (l, r) = split(leaf, in: &tree, features: features, childrenMaySplit: childrenMaySplit)
            open += [l, r]
        }
        return open
    }

    /// Makes `leaf` a split node with two new leaf children, ready to be split in turn.
    private func split(_ leaf: Leaf, in tree: inout GrownTree, features: [Int], childrenMaySplit: Bool) -> (Leaf, Leaf) {
        let c = leaf.best!
        let leftCount = data.columnMajor.withUnsafeBufferPointer { columns in
            partition.split(
                leaf.rows, column: columns.baseAddress! + c.feature * data.rows, splitBin: c.bin,
                nanBin: nanBins[c.feature], defaultLeft: c.defaultLeft, pool: pool)
        }
        precondition(leftCount == Int(c.left.n), "gbdt: partition disagrees with the histogram")
        let lo = leaf.rows.lowerBound
        var l = Leaf(node: tree.addNode(), rows: lo..<(lo + leftCount), depth: leaf.depth + 1, sums: c.left)
        var r = Leaf(node: tree.addNode(), rows: (lo + leftCount)..<leaf.rows.upperBound, depth: leaf.depth + 1, sums: c.right)
        tree.feature[leaf.node] = Int32(c.feature)
        tree.bin[leaf.node] = Int32(c.bin)
        tree.defaultLeft[leaf.node] = c.defaultLeft
        tree.left[leaf.node] = Int32(l.node)
        tree.right[leaf.node] = Int32(r.node)
        tree.gain[leaf.node] = c.gain
        let parentHist = leaf.hist!
        let leftMay = childrenMaySplit && rules.mayBeSplit(l.sums)
        let rightMay = childrenMaySplit && rules.mayBeSplit(r.sums)
        guard leftMay || rightMay else {
            histograms.give(parentHist)
            return (l, r)
        }
        let leftIsSmall = leftCount <= r.rows.count
        let smallHist = histograms.take()
        let (small, large) = leftIsSmall ? (l, r) : (r, l)
        let found = searchChildren(
            built: (small.rows, small.sums, smallHist, leftIsSmall ? leftMay : rightMay),
            derived: (large.sums, parentHist, leftIsSmall ? rightMay : leftMay), features: features)
        l.hist = leftIsSmall ? smallHist : parentHist
        r.hist = leftIsSmall ? parentHist : smallHist
        l.best = leftIsSmall ? found.built : found.derived
        r.best = leftIsSmall ? found.derived : found.built
        for child in [l, r] where child.best == nil { histograms.give(child.hist!) }
        if l.best == nil { l.hist = nil }
        if r.best == nil { r.hist = nil }
        return (l, r)
    }

    /// The parallel step: builds the histogram of `built`'s rows; if `derived` is given, turns
    /// its buffer (the parent's histogram) into the sibling's by subtraction; then searches the
    /// best split of each node whose flag is set. Each worker handles a contiguous share of
    /// the features; the best of all features is then taken in feature order.
    private func searchChildren(
        built: (rows: Range<Int>, sums: NodeSums, hist: UnsafeMutablePointer<SIMD2<Double>>, search: Bool),
        derived: (sums: NodeSums, hist: UnsafeMutablePointer<SIMD2<Double>>, search: Bool)?, features: [Int]
    ) -> (built: SplitCandidate?, derived: SplitCandidate?) {
        let columns = data.columns
        var bestBuilt = [SplitCandidate?](repeating: nil, count: columns)
        var bestDerived = [SplitCandidate?](repeating: nil, count: columns)
        let builtScore = rules.score(built.sums)
        let derivedScore = derived.map { rules.score($0.sums) } ?? 0
        let valueBins = data.bins.map(\.valueBins)
        let rows = partition.indices + built.rows.lowerBound
        let count = built.rows.count
        let (gradients, n) = (UnsafePointer(gradients), data.rows)
        data.columnMajor.withUnsafeBufferPointer { binned in
            data.offsets.withUnsafeBufferPointer { offsets in
                features.withUnsafeBufferPointer { features in
                    bestBuilt.withUnsafeMutableBufferPointer { bestBuilt in
                        bestDerived.withUnsafeMutableBufferPointer { bestDerived in
                            let (binned, offsets) = (binned.baseAddress!, offsets.baseAddress!)
                            pool.run(parallel: count >= Self.parallelRows) { worker, workers in
                                let mine = features[WorkerPool.slice(features.count, part: worker, of: workers)]
                                Histogram.build(
                                    columns: mine.map { binned + $0 &* n },
                                    slots: mine.map { built.hist + offsets[$0] &* Histogram.stride },
                                    slotCounts: mine.map { offsets[$0 &+ 1] &- offsets[$0] }, rows: rows, gradients: gradients,
                                    count: count)
                                for f in mine {
                                    let o = offsets[f] &* Histogram.stride
                                    let slotCount = offsets[f &+ 1] &- offsets[f]
                                    if built.search {
                                        bestBuilt[f] = rules.bestSplit(
                                            feature: f, slots: built.hist + o, valueBins: valueBins[f], total: built.sums,
                                            parentScore: builtScore)
                                    }
                                    if let d = derived {
                                        Histogram.subtract(built.hist + o, from: d.hist + o, slotCount: slotCount)
                                        if d.search {
                                            bestDerived[f] = rules.bestSplit(
                                                feature: f, slots: d.hist + o, valueBins: valueBins[f], total: d.sums,
                                                parentScore: derivedScore)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (Self.first(bestBuilt, features), Self.first(bestDerived, features))
    }

    /// The best candidate over features in ascending order; a later one must be strictly better.
    private static func first(_ candidates: [SplitCandidate?], _ features: [Int]) -> SplitCandidate? {
        var best: SplitCandidate?
        for f in features {
            if let c = candidates[f], c.gain > (best?.gain ?? -.infinity) { best = c }
        }
        return best
    }

    private func finish(_ leaf: Leaf, in tree: inout GrownTree) {
        if let hist = leaf.hist { histograms.give(hist) }
        tree.value[leaf.node] = learningRate * rules.leafValue(leaf.sums)
        tree.leafRows.append((leaf.node, leaf.rows))
    }
}
