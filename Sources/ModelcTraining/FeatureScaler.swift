import ModelcRuntime

/// The scaler kinds of the artifact schema; raw values are `ScalerKind` in Schemas/modelc.proto.
public enum ScalerKind: Int32, Sendable, CaseIterable {
    case none = 0
    /// shift = mean, scale = 1 / population std.
    case standard = 1
    /// shift = min, scale = 1 / (max - min).
    case minMax = 2
}

/// Per-feature affine scaling x' = (x - shift[i]) * scale[i], the artifact's `Scaler` message.
/// Statistics are computed in Double over training rows only, then stored as Float, the
/// precision the artifact keeps.
public struct FeatureScaler: Sendable, Equatable {
    public let kind: ScalerKind
    public let shift: [Float]
    public let scale: [Float]
    /// One line per feature whose scale was forced to 1 because it is constant on the training rows.
    public let notes: [String]

    public init(kind: ScalerKind, shift: [Float], scale: [Float], notes: [String]) {
        self.kind = kind
        self.shift = shift
        self.scale = scale
        self.notes = notes
    }

    /// Fits on `rows` of pooled matrices (`RowRef.series` indexes `matrices`), e.g. a walk-forward
    /// window's `train`. `names` (one per column) make errors and notes readable.
    public static func fit(
        _ kind: ScalerKind, matrices: [FeatureMatrix], rows: [RowRef], names: [String]? = nil
    ) throws(ModelcError) -> FeatureScaler {
        guard let columns = matrices.first?.columns else { throw ModelcError(.invalidArgument, "scaler: no feature matrices") }
        if let bad = matrices.firstIndex(where: { $0.columns != columns }) {
            throw ModelcError(.invalidArgument, "scaler: matrix \(bad) has \(matrices[bad].columns) columns, matrix 0 has \(columns)")
        }
        if let names, names.count != columns {
            throw ModelcError(.invalidArgument, "scaler: \(names.count) feature names for \(columns) columns")
        }
        guard !rows.isEmpty else { throw ModelcError(.invalidArgument, "scaler: no training rows to fit on") }
        let label = { (c: Int) in names.map { "feature \(c) (\($0[c]))" } ?? "feature \(c)" }
        var sum = [Double](repeating: 0, count: columns)
        var low = [Double](repeating: .infinity, count: columns)
        var high = [Double](repeating: -.infinity, count: columns)
        for ref in rows {
            guard matrices.indices.contains(ref.series), ref.row >= 0, ref.row < matrices[ref.series].rows else {
                throw ModelcError(.invalidArgument, "scaler: row \(ref.row) of matrix \(ref.series) does not exist")
            }
            for c in 0..<columns {
                let x = matrices[ref.series][ref.row, c]
                guard x.isFinite else {
                    throw ModelcError(
                        .invalidArgument, "scaler: \(label(c)) is \(x) in row \(ref.row) of matrix \(ref.series); fit on finite rows only")
                }
                sum[c] += x
                low[c] = min(low[c], x)
                high[c] = max(high[c], x)
            }
        }
        let n = Double(rows.count)
        let mean = sum.map { $0 / n }
        let spread: [Double]
        switch kind {
        case .none:
            return FeatureScaler(
                kind: .none, shift: [Float](repeating: 0, count: columns), scale: [Float](repeating: 1, count: columns), notes: [])
        case .minMax:
            spread = (0..<columns).map { high[$0] - low[$0] }
        case .standard:
            // Second pass around the mean: no cancellation from sum-of-squares.
            var squares = [Double](repeating: 0, count: columns)
            for ref in rows {
                for c in 0..<columns {
                    let d = matrices[ref.series][ref.row, c] - mean[c]
                    squares[c] += d * d
                }
            }
            spread = squares.map { ($0 / n).squareRoot() }
        }
        var shift: [Float] = []
        var scale: [Float] = []
        var notes: [String] = []
        for c in 0..<columns {
            shift.append(Float(kind == .standard ? mean[c] : low[c]))
            if low[c] == high[c] {
                notes.append("\(label(c)) is constant (\(low[c])) on the \(rows.count) training rows: scale 1")
                scale.append(1)
                continue
            }
            let s = Float(1 / spread[c])
            guard s.isFinite, s > 0 else {
                throw ModelcError(.invalidArgument, "scaler: \(label(c)) spreads only \(spread[c]): 1/spread overflows float32")
            }
            scale.append(s)
        }
        return FeatureScaler(kind: kind, shift: shift, scale: scale, notes: notes)
    }

    /// Fits on some rows of one matrix.
    public static func fit(_ kind: ScalerKind, matrix: FeatureMatrix, rows: [Int], names: [String]? = nil) throws(ModelcError)
        -> FeatureScaler
    {
        try fit(kind, matrices: [matrix], rows: rows.map { RowRef(series: 0, row: $0) }, names: names)
    }

    /// Scales every row the way the runtime applies a `Scaler`: in Float, (Float(x) - shift) * scale.
    /// Returns the scaled matrix row-major.
    public func apply(to matrix: FeatureMatrix) throws(ModelcError) -> [Float] {
        guard matrix.columns == shift.count else {
            throw ModelcError(.invalidArgument, "scaler: fit on \(shift.count) features, applied to \(matrix.columns)")
        }
        return matrix.values.enumerated().map { i, x in
            let c = i % matrix.columns
            return (Float(x) - shift[c]) * scale[c]
        }
    }
}
