import ModelcRuntime

/// Platt scaling: the logistic regression of the labels on `logit(p)`, fitted by Newton's method
/// on the mean log loss (unregularised, as scikit-learn's `LogisticRegression(penalty=None)`).
/// A negative slope (a component that ranks backwards on these rows) is not a calibration: the
/// slope is then 0 and the map is the rows' base rate.
enum PlattFit {
    static func fit(probabilities p: [Double], labels y: [Bool]) -> Calibrator {
        let z = p.map { q -> Double in
            let c = min(max(q, Calibrator.logitClamp), 1 - Calibrator.logitClamp)
            return DMath.log(c / (1 - c))
        }
        var a = 1.0, b = 0.0
        for _ in 0..<100 {
            // Gradient and Hessian of the mean log loss in (a, b).
            var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for i in z.indices {
                let q = DMath.sigmoid(a * z[i] + b)
                let r = q - (y[i] ? 1 : 0)
                let w = max(q * (1 - q), 1e-12)
                ga += r * z[i]; gb += r
                haa += w * z[i] * z[i]; hab += w * z[i]; hbb += w
            }
            let det = haa * hbb - hab * hab
            guard det > 0, det.isFinite else { break }
            let da = (hbb * ga - hab * gb) / det
            let db = (haa * gb - hab * ga) / det
            a -= da
            b -= db
            if abs(da) < 1e-12 && abs(db) < 1e-12 { break }
        }
        guard a >= 0, a.isFinite, b.isFinite else {
            let rate = Double(y.filter { $0 }.count) / Double(y.count)
            return .platt(a: 0, b: DMath.log(rate / (1 - rate)))
        }
        return .platt(a: a, b: b)
    }
}
