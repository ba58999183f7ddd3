/// Every feature value replaced by its bin, once, column-major (one feature of consecutive
/// rows is contiguous, which histograms, partitions and tree walks read).
struct BinnedMatrix: Sendable {
    let rows: Int
    let columns: Int
    let bins: [FeatureBins]
    /// Where each feature's slots start in a histogram; the last entry is the total slot count.
    let offsets: [Int]
    /// `columns × rows` bins, feature after feature.
    let columnMajor: [UInt8]

    /// Fits bins on `data` (every row, per feature in parallel) and bins it: each feature's
    /// values are sorted once, bins are fitted on the sorted values and assigned by walking
    /// the sorted order.
    static func fit(_ data: GBDTDataset, maxBins: Int, pool: WorkerPool) -> BinnedMatrix {
        let (rows, columns) = (data.rows, data.columns)
        var fitted = [FeatureBins](repeating: FeatureBins(thresholds: []), count: columns)
        var columnMajor = [UInt8](repeating: 0, count: rows * columns)
        data.features.withUnsafeBufferPointer { x in
            fitted.withUnsafeMutableBufferPointer { fitted in
                columnMajor.withUnsafeMutableBufferPointer { out in
                    pool.run { worker, workers in
                        for f in WorkerPool.slice(columns, part: worker, of: workers) {
                            let (values, order) = FloatRadixSort.sorted(x.baseAddress! + f, stride: columns, count: rows)
                            let bins = FeatureBins.fit(sorted: values, maxBins: maxBins)
                            fitted[f] = bins
                            let column = out.baseAddress! + f * rows
                            column.update(repeating: UInt8(truncatingIfNeeded: bins.nanBin), count: rows)
                            var b = 0
                            for (v, r) in zip(values, order) {
                                while b < bins.thresholds.count && bins.thresholds[b] <= v { b += 1 }
                                column[Int(r)] = UInt8(truncatingIfNeeded: b)
                            }
                        }
                    }
                }
            }
        }
        return BinnedMatrix(bins: fitted, columnMajor: columnMajor, rows: rows)
    }

    /// Bins other rows (validation) with bins fitted elsewhere.
    static func apply(_ bins: [FeatureBins], to data: GBDTDataset, pool: WorkerPool) -> BinnedMatrix {
        let (rows, columns) = (data.rows, data.columns)
        var columnMajor = [UInt8](repeating: 0, count: rows * columns)
        data.features.withUnsafeBufferPointer { x in
            columnMajor.withUnsafeMutableBufferPointer { out in
                pool.run { worker, workers in
                    for f in WorkerPool.slice(columns, part: worker, of: workers) {
                        for r in 0..<rows { out[f * rows + r] = bins[f].bin(x[r * columns + f]) }
                    }
                }
            }
        }
        return BinnedMatrix(bins: bins, columnMajor: columnMajor, rows: rows)
    }

    private init(bins: [FeatureBins], columnMajor: [UInt8], rows: Int) {
        var offsets = [0]
        for b in bins { offsets.append(offsets.last! + b.slots) }
        self.rows = rows
        columns = bins.count
        self.bins = bins
        self.offsets = offsets
        self.columnMajor = columnMajor
    }
}
