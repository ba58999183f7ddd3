/// Sorts float32 values with their row numbers: an LSD radix sort (3 passes of 11 bits) on an
/// order-preserving key, linear in the row count where a comparison sort of every feature
/// column dominated binning. The key maps -0.0 just below +0.0; NaN must be left out.
enum FloatRadixSort {
    /// The non-NaN values of `count` strided floats ascending, and the row of each.
    static func sorted(_ x: UnsafePointer<Float>, stride: Int, count: Int) -> (values: [Float], rows: [UInt32]) {
        var keys = [UInt32]()
        var rows = [UInt32]()
        keys.reserveCapacity(count)
        rows.reserveCapacity(count)
        for r in 0..<count {
            let v = x[r &* stride]
            if v.isNaN { continue }
            keys.append(key(v))
            rows.append(UInt32(truncatingIfNeeded: r))
        }
        var keys2 = keys
        var rows2 = rows
        let n = keys.count
        var histogram = [Int](repeating: 0, count: 2048)
        for shift in [UInt32(0), 11, 22] {
            keys.withUnsafeMutableBufferPointer { k in
                rows.withUnsafeMutableBufferPointer { r in
                    keys2.withUnsafeMutableBufferPointer { k2 in
                        rows2.withUnsafeMutableBufferPointer { r2 in
                            histogram.withUnsafeMutableBufferPointer { h in
                                h.update(repeating: 0)
                                for i in 0..<n { h[Int((k[i] >> shift) & 2047)] &+= 1 }
                                var start = 0
                                for d in 0..<2048 { (h[d], start) = (start, start &+ h[d]) }
                                for i in 0..<n {
                                    let d = Int((k[i] >> shift) & 2047)
                                    k2[h[d]] = k[i]
                                    r2[h[d]] = r[i]
                                    h[d] &+= 1
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &keys2)
            swap(&rows, &rows2)
        }
        return (keys.map(value), rows)
    }

    /// Unsigned key in the order of the floats: flip every bit of negatives, the sign bit of
    /// the rest.
    @inline(__always)
    static func key(_ v: Float) -> UInt32 {
        let b = v.bitPattern
        return b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
    }

    @inline(__always)
    static func value(_ k: UInt32) -> Float {
        Float(bitPattern: k & 0x8000_0000 != 0 ? k & 0x7FFF_FFFF : ~k)
    }
}
