import ModelcRuntime

/// Metrics of binary classifiers, for early stopping and the model card.
public enum BinaryMetrics {
    /// Area under the ROC curve: the probability that a random positive scores above a random
    /// negative, ties counting one half (Mann–Whitney U with average ranks for tied scores).
    /// Any monotone score works (margins or probabilities).
    public static func rocAUC(labels: [Bool], scores: [Double]) throws(ModelcError) -> Double {
        try check(labels, scores, "roc_auc", "score")
        let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else {
            throw ModelcError(
                .invalidArgument, "roc_auc: needs both classes, got \(positives) positive and \(negatives) negative rows")
        }
        return auc(labels: labels, scores: scores, positives: positives)
    }

    /// Mean logistic loss -[y log p + (1 - y) log(1 - p)], with p clipped to [1e-15, 1 - 1e-15]
    /// so a confident mistake costs about 34.5, not infinity.
    public static func logLoss(labels: [Bool], probabilities: [Double]) throws(ModelcError) -> Double {
        try check(labels, probabilities, "logloss", "probability")
        if let bad = probabilities.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw ModelcError(.invalidArgument, "logloss: probability of row \(bad) is \(probabilities[bad]), outside [0, 1]")
        }
        var total = 0.0
        for (y, p) in zip(labels, probabilities) {
            let q = min(max(y ? p : 1 - p, 1e-15), 1 - 1e-15)
            total -= DMath.log(q)
        }
        return total / Double(labels.count)
    }

    private static func check(_ labels: [Bool], _ values: [Double], _ metric: String, _ what: String) throws(ModelcError) {
        guard labels.count == values.count else {
            throw ModelcError(.invalidArgument, "\(metric): \(labels.count) labels but \(values.count) \(what) values")
        }
        guard !labels.isEmpty else { throw ModelcError(.invalidArgument, "\(metric): no rows") }
        if let bad = values.firstIndex(where: { $0.isNaN }) {
            throw ModelcError(.invalidArgument, "\(metric): \(what) of row \(bad) is NaN")
        }
    }

    /// AUC of checked input with `positives` positive rows (both classes present).
    static func auc(labels: [Bool], scores: [Double], positives: Int) -> Double {
        let order = ascending(scores)
        var rankSum = 0.0  // sum of the (1-based, tie-averaged) ranks of the positives
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && scores[order[end]] == scores[order[start]] { end += 1 }
            let rank = Double(start + 1 + end) / 2  // mean of ranks start+1...end
            for i in start..<end where labels[order[i]] { rankSum += rank }
            start = end
        }
        let p = Double(positives)
        let n = Double(labels.count - positives)
        return (rankSum - p * (p + 1) / 2) / (p * n)
    }

    /// Indices of `x` (no NaN) in ascending value order. Large inputs (early stopping scores
    /// the validation rows after every tree) use an LSD radix sort on the order-preserving
    /// 64-bit key, 4 passes of 16 bits; equal values stay adjacent (-0 beside +0).
    static func ascending(_ x: [Double]) -> [Int] {
        guard x.count >= 4_096 else { return x.indices.sorted { x[$0] < x[$1] } }
        var keys = x.map { v -> UInt64 in
            let b = v.bitPattern
            return b >> 63 != 0 ? ~b : b | (1 << 63)
        }
        var order = Array(0..<x.count)
        var keys2 = keys
        var order2 = order
        var counts = [Int](repeating: 0, count: 1 << 16)
        for shift in stride(from: UInt64(0), to: 64, by: 16) {
            counts.withUnsafeMutableBufferPointer { c in
                c.update(repeating: 0)
                for k in keys { c[Int((k >> shift) & 0xFFFF)] += 1 }
                var start = 0
                for d in 0..<c.count { (c[d], start) = (start, start + c[d]) }
                for i in keys.indices {
                    let d = Int((keys[i] >> shift) & 0xFFFF)
                    keys2[c[d]] = keys[i]
                    order2[c[d]] = order[i]
                    c[d] += 1
                }
            }
            swap(&keys, &keys2)
            swap(&order, &order2)
        }
        return order
    }
}
