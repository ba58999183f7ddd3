import ModelcRuntime

/// Isotonic regression by pool-adjacent-violators, as scikit-learn's `IsotonicRegression`
/// (increasing, clipped outside the data): rows with equal probability are pooled first, the
/// fitted value of each distinct probability is its block's mean label, and only the knots
/// linear interpolation needs are kept (the first and last point of every flat run).
enum IsotonicFit {
    static func fit(probabilities p: [Double], labels y: [Bool]) -> Calibrator {
        let order = p.indices.sorted { p[$0] < p[$1] }
        // Distinct probabilities with their label sums and counts.
        var xs: [Double] = [], sums: [Double] = [], counts: [Double] = []
        for i in order {
            if let last = xs.last, last == p[i] {
                sums[sums.count - 1] += y[i] ? 1 : 0
                counts[counts.count - 1] += 1
            } else {
                xs.append(p[i]); sums.append(y[i] ? 1 : 0); counts.append(1)
            }
        }
        // Pool adjacent violators: blocks of (sum, count, first distinct index).
        var blockSum: [Double] = [], blockCount: [Double] = [], blockStart: [Int] = []
        for j in xs.indices {
            blockSum.append(sums[j]); blockCount.append(counts[j]); blockStart.append(j)
            while blockSum.count > 1 {
                let k = blockSum.count - 1
                guard blockSum[k - 1] / blockCount[k - 1] >= blockSum[k] / blockCount[k] else { break }
                blockSum[k - 1] += blockSum[k]; blockCount[k - 1] += blockCount[k]
                blockSum.removeLast(); blockCount.removeLast(); blockStart.removeLast()
            }
        }
        var fitted = [Double](repeating: 0, count: xs.count)
        for k in blockStart.indices {
            let end = k + 1 < blockStart.count ? blockStart[k + 1] : xs.count
            for j in blockStart[k]..<end { fitted[j] = blockSum[k] / blockCount[k] }
        }
        var kx: [Double] = [], ky: [Double] = []
        for j in xs.indices {
            let keep = j == 0 || j == xs.count - 1 || fitted[j - 1] != fitted[j] || fitted[j] != fitted[j + 1]
            if keep { kx.append(xs[j]); ky.append(fitted[j]) }
        }
        return .isotonic(x: thinned(kx), y: thinned(ky))
    }

    /// Knots beyond the format's limit are dropped evenly, first and last kept (still monotone).
    private static func thinned(_ v: [Double]) -> [Double] {
        let limit = ArtifactLimits.maxCalibrationKnots
        guard v.count > limit else { return v }
        return (0..<limit).map { v[$0 * (v.count - 1) / (limit - 1)] }
    }
}
