import ModelcRuntime
import ModelcTraining

/// Fits each component's calibrator on the rows its span held out to stop training early
/// (Spec.md §14.2): the compiled component scores them through the runtime, uncalibrated, and the
/// map is fitted against the component's own target. A refitted tree component trained on those
/// rows, so its early-stopped forests score them instead (mean probability, as the component
/// joins its members). Nothing it fits on is a test row.
enum ComponentCalibration {
    static func fit(_ model: LoadedModel, method: CalibrationMethod, rows: [RowRef], symbols: [SymbolData],
                    layout: FeatureLayout, trees: [TrainedTrees], label: String) throws -> [Calibrator?] {
        try model.components.map { c -> Calibrator? in
            guard method != .none, !rows.isEmpty else { return nil }
            if let t = trees.first(where: { ComponentSlot.trees($0.target).rawValue == c.name }), let stopped = t.stopped {
                let p = try TrainedTrees.probabilities(stopped, rows: rows, symbols: symbols, columns: layout.trees)
                return try CalibrationFit.fit(method, probabilities: p, labels: rows.map { symbols[$0.series].label(t.target, $0.row) },
                                              what: "\(label): calibrating '\(c.name)'")
            }
            let columns = try c.inputFeatures.map { i -> Int in
                let f = model.features[i]
                guard let column = layout.union.firstIndex(where: { $0.kind == f.kind && $0.params == f.params }) else {
                    throw BuildConfigError("\(label): component '\(c.name)' reads feature '\(f.name)', which the build did not compute")
                }
                return column
            }
            var p: [Double] = [], y: [Bool] = []
            for ref in rows {
                let s = symbols[ref.series]
                p.append(try c.probability(window: s.window(ending: ref.row, length: c.window, columns: columns)))
                switch c.role {
                case .long: y.append(s.long[ref.row]!)
                case .short: y.append(s.short[ref.row]!)
                default: y.append(s.up[ref.row]!)
                }
            }
            return try CalibrationFit.fit(method, probabilities: p, labels: y, what: "\(label): calibrating '\(c.name)'")
        }
    }
}
