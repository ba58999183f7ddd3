import ModelcRuntime

/// Which calibration map a build fits (Spec.md §4.9, §14.1 `calibration.method`).
public enum CalibrationMethod: String, Sendable, CaseIterable {
    case isotonic, platt, none
}

/// Fits a component's calibrator on probabilities it gave for rows it did not train on.
public enum CalibrationFit {
    /// The fitted map; nil for `.none`. Refuses fewer than `minimumRows` rows or one class only,
    /// naming `what`.
    public static func fit(_ method: CalibrationMethod, probabilities p: [Double], labels y: [Bool],
                           what: String) throws(ModelcError) -> Calibrator? {
        guard method != .none else { return nil }
        guard p.count == y.count else {
            throw ModelcError(.invalidArgument, "\(what): \(p.count) probabilities for \(y.count) labels")
        }
        if let bad = p.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw ModelcError(.invalidArgument, "\(what): probability \(bad) is \(p[bad]), outside [0, 1]")
        }
        let positives = y.filter { $0 }.count
        guard p.count >= minimumRows, positives > 0, positives < y.count else {
            throw ModelcError(.invalidArgument,
                "\(what): calibration needs at least \(minimumRows) rows of both classes, got \(p.count) rows, \(positives) positive")
        }
        switch method {
        case .platt: return PlattFit.fit(probabilities: p, labels: y)
        case .isotonic: return IsotonicFit.fit(probabilities: p, labels: y)
        case .none: return nil
        }
    }

    public static let minimumRows = 50
}
