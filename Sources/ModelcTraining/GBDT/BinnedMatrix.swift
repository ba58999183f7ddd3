/// Every feature value replaced by its bin, once, in two layouts: row-major for histograms
/// (one row's bins share a cache line) and column-major for partitioning and walking trees
/// (one feature of consecutive rows is contiguous).
struct BinnedMatrix: Sendable {
    let rows: Int
    let columns: Int
    let bins: [FeatureBins]
    /// Where each feature's slots start in a histogram; the last entry is the total slot count.
    let offsets: [Int]
    /// `rows × columns` bins, row after row.
    let rowMajor: [UInt8]
    /// `columns × rows` bins, feature after feature.
    let columnMajor: [UInt8]

    /// Fits bins on `data` (every row, per feature in parallel) and bins it.
    static func fit(_ data: GBDTDataset, maxBins: Int, pool: WorkerPool) -> BinnedMatrix {
        let (rows, columns) = (data.rows, data.columns)
        var fitted = [FeatureBins](repeating: FeatureBins(thresholds: []), count: columns)
        var columnMajor = [UInt8](repeating: 0, count: rows * columns)
        data.features.withUnsafeBufferPointer { x in
            fitted.withUnsafeMutableBufferPointer { fitted in
                columnMajor.withUnsafeMutableBufferPointer { out in
                    pool.run { worker, workers in
                        for f in WorkerPool.slice(columns, part: worker, of: workers) {
                            var values: [Float] = []
                            values.reserveCapacity(rows)
                            for r in 0..<rows where !x[r * columns + f].isNaN { values.append(x[r * columns + f]) }
                            values.sort()
                            let bins = FeatureBins.fit(sorted: values, maxBins: maxBins)
                            fitted[f] = bins
                            for r in 0..<rows { out[f * rows + r] = bins.bin(x[r * columns + f]) }
                        }
                    }
                }
            }
        }
        return BinnedMatrix(bins: fitted, columnMajor: columnMajor, rows: rows, pool: pool)
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
        return BinnedMatrix(bins: bins, columnMajor: columnMajor, rows: rows, pool: pool)
    }

    private init(bins: [FeatureBins], columnMajor: [UInt8], rows: Int, pool: WorkerPool) {
        let columns = bins.count
        var offsets = [0]
        for b in bins { offsets.append(offsets.last! + b.slots) }
        var rowMajor = [UInt8](repeating: 0, count: rows * columns)
        columnMajor.withUnsafeBufferPointer { src in
            rowMajor.withUnsafeMutableBufferPointer { dst in
                pool.forEachBlock(rows, blockSize: 16_384) { block in
                    for f in 0..<columns {
                        for r in block { dst[r * columns + f] = src[f * rows + r] }
                    }
                }
            }
        }
        self.rows = rows
        self.columns = columns
        self.bins = bins
        self.offsets = offsets
        self.rowMajor = rowMajor
        self.columnMajor = columnMajor
    }
}
