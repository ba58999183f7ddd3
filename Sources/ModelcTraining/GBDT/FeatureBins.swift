/// The value bins of one feature. A value's bin is the number of thresholds at or below it, so
/// bin(x) <= b exactly when x < thresholds[b]: a split after bin b is the exported rule
/// `x < thresholds[b]`, and training rows, validation rows and the exported trees all agree.
/// NaN has a bin of its own after the value bins.
struct FeatureBins: Sendable, Equatable {
    /// Strictly increasing float32 boundaries, at most 254 (so at most 255 value bins).
    let thresholds: [Float]

    var valueBins: Int { thresholds.count + 1 }
    /// The index of the NaN bin; value bins are 0..<nanBin.
    var nanBin: Int { thresholds.count + 1 }
    /// Histogram slots: the value bins plus the NaN bin.
    var slots: Int { thresholds.count + 2 }

    /// The bin of `x`: NaN's bin, or the count of thresholds <= x (binary search).
    @inline(__always)
    func bin(_ x: Float) -> UInt8 {
        if x.isNaN { return UInt8(truncatingIfNeeded: nanBin) }
        return thresholds.withUnsafeBufferPointer { t in
            var low = 0
            var high = t.count
            while low < high {
                let mid = (low + high) >> 1
                if t[mid] <= x { low = mid + 1 } else { high = mid }
            }
            return UInt8(truncatingIfNeeded: low)
        }
    }

    /// Quantile bins over the sorted non-NaN values of one feature. With at most `maxBins`
    /// distinct values each gets its own bin; otherwise bins are closed greedily once they hold
    /// their share (remaining rows / remaining bins) of the rows, and a value that alone holds a
    /// share starts a bin of its own, so heavy ties (integer hours, rounded prices) stay exact.
    static func fit(sorted values: [Float], maxBins: Int) -> FeatureBins {
        var distinct: [Float] = []
        var counts: [Int] = []
        for v in values {
            if let last = distinct.last, last == v {
                counts[counts.count - 1] += 1
            } else {
                distinct.append(v)
                counts.append(1)
            }
        }
        guard distinct.count > 1 else { return FeatureBins(thresholds: []) }
        var thresholds: [Float] = []
        if distinct.count <= maxBins {
            for i in 1..<distinct.count { thresholds.append(between(distinct[i - 1], distinct[i])) }
            return FeatureBins(thresholds: thresholds)
        }
        var binsLeft = maxBins
        var rowsLeft = values.count
        var inBin = 0
        for i in 0..<(distinct.count - 1) {
            inBin += counts[i]
            let share = Double(rowsLeft) / Double(binsLeft)
            if Double(inBin) >= share || Double(counts[i + 1]) >= share {
                thresholds.append(between(distinct[i], distinct[i + 1]))
                rowsLeft -= inBin
                binsLeft -= 1
                inBin = 0
                if binsLeft == 1 { break }
            }
        }
        return FeatureBins(thresholds: thresholds)
    }

    /// A float32 t with a < t <= b: the midpoint rounded to float32, moved up to the next float
    /// after `a` when rounding (or an infinite sum) put it at or below `a`.
    static func between(_ a: Float, _ b: Float) -> Float {
        var t = Float((Double(a) + Double(b)) / 2)
        if !(t > a) { t = a.nextUp }
        return t > b ? b : t
    }
}
