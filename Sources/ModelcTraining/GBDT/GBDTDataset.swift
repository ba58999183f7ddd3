import ModelcRuntime

/// Rows for the tree trainer: float32 features (what the runtime feeds the trees), NaN where a
/// value is missing, a binary label per row and an optional weight per row.
public struct GBDTDataset: Sendable {
    public let rows: Int
    public let columns: Int
    /// `rows × columns` values, row after row. NaN means missing; ±infinity are ordinary values.
    public let features: [Float]
    public let labels: [Bool]
    /// Per-row weights (multiplied with the class weights); nil means 1 for every row.
    public let weights: [Double]?

    public init(features: [Float], columns: Int, labels: [Bool], weights: [Double]? = nil) throws(ModelcError) {
        guard columns > 0 else { throw ModelcError(.invalidArgument, "gbdt data: columns must be > 0, got \(columns)") }
        guard !labels.isEmpty else { throw ModelcError(.invalidArgument, "gbdt data: no rows") }
        guard features.count == labels.count * columns else {
            throw ModelcError(
                .invalidArgument,
                "gbdt data: \(features.count) feature values for \(labels.count) labels × \(columns) columns (expected \(labels.count * columns))")
        }
        if let weights {
            guard weights.count == labels.count else {
                throw ModelcError(.invalidArgument, "gbdt data: \(weights.count) weights for \(labels.count) rows")
            }
            if let bad = weights.firstIndex(where: { !($0 > 0 && $0.isFinite) }) {
                throw ModelcError(.invalidArgument, "gbdt data: weight of row \(bad) is \(weights[bad]); weights must be finite and > 0")
            }
        }
        self.rows = labels.count
        self.columns = columns
        self.features = features
        self.labels = labels
        self.weights = weights
    }

    /// From a Double feature matrix, each value rounded once to float32.
    public init(matrix: FeatureMatrix, labels: [Bool], weights: [Double]? = nil) throws(ModelcError) {
        try self.init(features: matrix.values.map { Float($0) }, columns: matrix.columns, labels: labels, weights: weights)
    }

    public subscript(row: Int, column: Int) -> Float { features[row * columns + column] }
}
