/// Sum of `n` values from `p` in NumPy's pairwise order (numpy/_core/src/umath/loops_utils.h,
/// `pairwise_sum`), so that window means and standard deviations are the same bits as NumPy's
/// `mean` / `std` on the same values: fewer than 8 terms in order from 0; up to 128 terms as 8
/// interleaved partial sums combined as ((s0+s1)+(s2+s3))+((s4+s5)+(s6+s7)), then the last
/// n mod 8 terms in order; longer runs split at n/2 rounded down to a multiple of 8. The order
/// is fixed, so the result is too, and the 8 independent chains are faster than one.
func pairwiseSum(_ p: UnsafePointer<Double>, _ n: Int) -> Double {
    if n < 8 {
        var s = 0.0
        for i in 0..<n { s += p[i] }
        return s
    }
    if n > 128 {
        var half = n / 2
        half -= half % 8
        return pairwiseSum(p, half) + pairwiseSum(p + half, n - half)
    }
    var r0 = p[0], r1 = p[1], r2 = p[2], r3 = p[3], r4 = p[4], r5 = p[5], r6 = p[6], r7 = p[7]
    var i = 8
    let blocks = n - n % 8
    while i < blocks {
        r0 += p[i]
        r1 += p[i + 1]
        r2 += p[i + 2]
        r3 += p[i + 3]
        r4 += p[i + 4]
        r5 += p[i + 5]
        r6 += p[i + 6]
        r7 += p[i + 7]
        i += 8
    }
    var s = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n {
        s += p[i]
        i += 1
    }
    return s
}

/// Mean of `n` values as NumPy's `mean`: pairwise sum / n.
@inline(__always)
func windowMean(_ p: UnsafePointer<Double>, _ n: Int) -> Double {
    pairwiseSum(p, n) / Double(n)
}

/// Population standard deviation (ddof 0) of `n` values with the given mean, as NumPy's `std`:
/// sqrt(pairwise sum of (x - mean)^2 / n). `scratch` holds the n squared deviations.
@inline(__always)
func windowStd(_ p: UnsafePointer<Double>, _ n: Int, mean: Double, scratch: UnsafeMutablePointer<Double>) -> Double {
    for i in 0..<n { scratch[i] = (p[i] - mean) * (p[i] - mean) }
    return (pairwiseSum(scratch, n) / Double(n)).squareRoot()
}
