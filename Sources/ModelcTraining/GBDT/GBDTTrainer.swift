import ModelcRuntime

/// What training produced besides the forest.
public struct GBDTTrainingResult: Sendable {
    public let forest: TrainedForest
    /// The validation metric after each trained tree (empty without validation rows).
    public let validationHistory: [Double]
    /// The metric of `validationHistory`: early stopping's, or AUC.
    public let validationMetric: StoppingMetric
    /// Trees trained before stopping; `forest.trees.count` of them were kept.
    public let treesTrained: Int
    /// Training-row margins after the last trained tree, computed in bin space as training
    /// went (tests check them against the forest's threshold predictions).
    let trainingMargins: [Double]
}

/// Gradient-boosted trees for binary classification with the logistic loss: histogram-based,
/// second-order, seeded and deterministic (the same data, parameters and seed give the same
/// bits whatever `threads` is).
public enum GBDTTrainer {
    public static func train(
        _ data: GBDTDataset, validation: GBDTDataset? = nil, parameters: GBDTParameters
    ) throws(ModelcError) -> GBDTTrainingResult {
        try parameters.validate()
        try checkClasses(data.labels, "training")
        if let validation {
            guard validation.columns == data.columns else {
                throw ModelcError(
                    .invalidArgument, "gbdt: validation rows have \(validation.columns) features, training rows \(data.columns)")
            }
            try checkClasses(validation.labels, "validation")
        } else if parameters.earlyStopping != nil {
            throw ModelcError(.invalidArgument, "gbdt: early_stopping needs validation rows")
        }
        var session = Session(data: data, validation: validation, parameters: parameters)
        return session.run()
    }

    private static func checkClasses(_ labels: [Bool], _ which: String) throws(ModelcError) {
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard positives > 0, positives < labels.count else {
            throw ModelcError(
                .invalidArgument,
                "gbdt: all \(labels.count) \(which) rows are \(positives > 0 ? "positive" : "negative"); both classes are needed")
        }
    }
}

/// One training run's state.
private struct Session {
    let data: GBDTDataset
    let validation: GBDTDataset?
    let parameters: GBDTParameters
    let pool: WorkerPool
    let binned: BinnedMatrix
    let validationBinned: BinnedMatrix?
    /// Class weight times row weight, per training row.
    let weights: [Double]
    let grower: TreeGrower
    var random: GBDTRandom
    let base: Double
    var margins: [Double]
    var validationMargins: [Double]

    init(data: GBDTDataset, validation: GBDTDataset?, parameters: GBDTParameters) {
        self.data = data
        self.validation = validation
        self.parameters = parameters
        let pool = WorkerPool(requested: parameters.threads)
        let binned = BinnedMatrix.fit(data, maxBins: parameters.maxBins, pool: pool)
        self.pool = pool
        self.binned = binned
        validationBinned = validation.map { BinnedMatrix.apply(binned.bins, to: $0, pool: pool) }
        weights = data.labels.indices.map { r in
            (data.labels[r] ? parameters.positiveWeight : parameters.negativeWeight) * (data.weights?[r] ?? 1)
        }
        grower = TreeGrower(data: binned, parameters: parameters, pool: pool)
        random = GBDTRandom(seed: parameters.seed)
        // The base score: the logit of the weighted positive rate, the best constant margin.
        var positive = 0.0
        var total = 0.0
        for (y, w) in zip(data.labels, weights) {
            total += w
            if y { positive += w }
        }
        base = LogisticLoss.logit(positive / total)
        margins = [Double](repeating: base, count: data.rows)
        validationMargins = [Double](repeating: base, count: validation?.rows ?? 0)
    }

    mutating func run() -> GBDTTrainingResult {
        let metric = parameters.earlyStopping?.metric ?? .auc
        var trees: [GrownTree] = []
        var history: [Double] = []
        var best = 0
        for t in 0..<parameters.numTrees {
            computeGradients()
            let outOfBag = drawRows()
            let tree = grower.grow(features: drawFeatures())
            addToMargins(tree, outOfBag: outOfBag)
            trees.append(tree)
            guard let validation else { continue }
            let value = evaluate(tree, validation: validation, metric: metric)
            history.append(value)
            if metric == .auc ? value > history[best] : value < history[best] { best = t }
            if let stop = parameters.earlyStopping, t - best >= stop.patience { break }
        }
        let kept = parameters.earlyStopping == nil ? trees : Array(trees[0...best])
        return GBDTTrainingResult(
            forest: forest(kept, base: base), validationHistory: history, validationMetric: metric,
            treesTrained: trees.count, trainingMargins: margins)
    }

    /// Gradient and hessian of every training row at the current margins, weighted.
    private func computeGradients() {
        let gradients = grower.gradients
        margins.withUnsafeBufferPointer { margins in
            data.labels.withUnsafeBufferPointer { labels in
                weights.withUnsafeBufferPointer { weights in
                    pool.forEachBlock(data.rows, blockSize: 16_384) { block in
                        for r in block {
                            let (g, h) = LogisticLoss.derivatives(label: labels[r], margin: margins[r])
                            gradients[r] = SIMD2(Float(weights[r] * g), Float(weights[r] * h))
                        }
                    }
                }
            }
        }
    }

    /// Puts this tree's rows into the partition (all, or a bagging sample) and returns the
    /// rows left out.
    private mutating func drawRows() -> [UInt32] {
        let n = data.rows
        guard parameters.baggingFraction < 1 else {
            grower.partition.resetAll(n)
            return []
        }
        let k = max(1, Int((parameters.baggingFraction * Double(n)).rounded()))
        let bag = random.sample(k, of: n)
        grower.partition.reset(rows: bag)
        var outOfBag: [UInt32] = []
        outOfBag.reserveCapacity(n - k)
        var next = 0
        for r in 0..<UInt32(n) {
            if next < bag.count && bag[next] == r { next += 1 } else { outOfBag.append(r) }
        }
        return outOfBag
    }

    /// The features this tree may split on, ascending.
    private mutating func drawFeatures() -> [Int] {
        let n = data.columns
        guard parameters.featureFraction < 1 else { return Array(0..<n) }
        let k = max(1, Int((parameters.featureFraction * Double(n)).rounded()))
        var all = Array(0..<n)
        for i in 0..<k { all.swapAt(i, i + random.below(n - i)) }
        return all[0..<k].sorted()
    }

    /// Adds the tree to the training margins: in-bag rows by their leaf's row range, the rest
    /// by walking the tree on their bins.
    private mutating func addToMargins(_ tree: GrownTree, outOfBag: [UInt32]) {
        let indices = grower.partition.indices
        let rows = data.rows
        let nanBins = binned.bins.map(\.nanBin)
        margins.withUnsafeMutableBufferPointer { margins in
            pool.forEachBlock(tree.leafRows.count, blockSize: 1) { leaves in
                for (node, rows) in tree.leafRows[leaves] {
                    let v = tree.value[node]
                    for i in rows { margins[Int(indices[i])] += v }
                }
            }
            binned.columnMajor.withUnsafeBufferPointer { bins in
                nanBins.withUnsafeBufferPointer { nanBins in
                    outOfBag.withUnsafeBufferPointer { outOfBag in
                        pool.forEachBlock(outOfBag.count, blockSize: 16_384) { block in
                            for i in block {
                                let r = Int(outOfBag[i])
                                margins[r] += tree.value(
                                    columns: bins.baseAddress!, stride: rows, row: r, nanBins: nanBins.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the tree to the validation margins and returns the metric after it.
    private mutating func evaluate(_ tree: GrownTree, validation: GBDTDataset, metric: StoppingMetric) -> Double {
        let rows = validation.rows
        let nanBins = binned.bins.map(\.nanBin)
        let binned = validationBinned!
        validationMargins.withUnsafeMutableBufferPointer { margins in
            binned.columnMajor.withUnsafeBufferPointer { bins in
                nanBins.withUnsafeBufferPointer { nanBins in
                    pool.forEachBlock(rows, blockSize: 16_384) { block in
                        for r in block {
                            margins[r] += tree.value(
                                columns: bins.baseAddress!, stride: rows, row: r, nanBins: nanBins.baseAddress!)
                        }
                    }
                }
            }
        }
        switch metric {
        case .auc:
            let positives = validation.labels.reduce(0) { $0 + ($1 ? 1 : 0) }
            return BinaryMetrics.auc(labels: validation.labels, scores: validationMargins, positives: positives)
        case .logLoss:
            var total = 0.0
            for (y, m) in zip(validation.labels, validationMargins) { total += LogisticLoss.loss(label: y, margin: m) }
            return total / Double(validation.rows)
        }
    }

    /// The kept trees in the artifact's terms, with their feature importance.
    private func forest(_ trees: [GrownTree], base: Double) -> TrainedForest {
        var gain = [Double](repeating: 0, count: data.columns)
        var splits = [Int](repeating: 0, count: data.columns)
        for tree in trees {
            for n in tree.feature.indices where tree.left[n] >= 0 {
                gain[Int(tree.feature[n])] += tree.gain[n]
                splits[Int(tree.feature[n])] += 1
            }
        }
        return TrainedForest(
            numFeatures: data.columns, trees: trees.map { TrainedTree($0, bins: binned.bins) }, baseScore: base,
            importance: FeatureImportance(gain: gain, splits: splits))
    }
}
