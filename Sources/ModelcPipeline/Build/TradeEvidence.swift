import Foundation

/// Whether a policy candidate's out-of-fold trades show an edge, allowing for how many candidates
/// were tried (Spec.md §14.4): choosing the best of N candidates on the same rows makes a lucky
/// one look good, so its trades' t-statistic must clear a one-sided Bonferroni bar.
enum TradeEvidence {
    /// The mean of the trades' returns over its standard error (sample sd / √n); 0 for fewer than
    /// two trades or returns that do not vary.
    static func tStatistic(_ r: [Double]) -> (mean: Double, t: Double) {
        guard !r.isEmpty else { return (0, 0) }
        let n = Double(r.count)
        let mean = r.reduce(0, +) / n
        guard r.count > 1 else { return (mean, 0) }
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, variance > 0 ? mean / (variance / n).squareRoot() : 0)
    }

    /// The t a candidate must reach when `candidates` were tried: the standard normal's
    /// 1 − (1 − confidence) / candidates quantile; −∞ (no bar) for confidence 0.
    static func bar(confidence: Double, candidates: Int) -> Double {
        guard confidence > 0 else { return -.infinity }
        return normalQuantile(1 - (1 - confidence) / Double(max(candidates, 1)))
    }

    /// Φ⁻¹(p) for 0 < p < 1, by bisection on Φ(x) = erfc(−x/√2)/2 (to the last bit; no tables).
    static func normalQuantile(_ p: Double) -> Double {
        var low = -40.0, high = 40.0
        while true {
            let mid = (low + high) / 2
            guard mid > low && mid < high else { return mid }
            if erfc(-mid / 2.0.squareRoot()) / 2 < p { low = mid } else { high = mid }
        }
    }
}
