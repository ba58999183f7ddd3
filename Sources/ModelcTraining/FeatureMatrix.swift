import ModelcRuntime

/// Feature rows of one series, row-major in Double: what scalers are fit on and applied to.
public struct FeatureMatrix: Sendable, Equatable {
    public let columns: Int
    /// `rows × columns` values, row after row.
    public let values: [Double]

    public init(columns: Int, values: [Double]) throws(ModelcError) {
        guard columns > 0, values.count % columns == 0 else {
            throw ModelcError(.invalidArgument, "feature matrix: \(values.count) values do not make rows of \(columns) columns")
        }
        self.columns = columns
        self.values = values
    }

    public var rows: Int { values.count / columns }

    public subscript(row: Int, column: Int) -> Double { values[row * columns + column] }
}
