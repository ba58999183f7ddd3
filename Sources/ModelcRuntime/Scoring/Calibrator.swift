/// A component's calibration map (Spec.md §4.9): the combined probability of its members goes
/// through it before the blend reads it. Both maps are monotone, use only + − × ÷ and the
/// runtime's own `log` / `exp`, so a calibrated probability is the same bits on every host.
public enum Calibrator: Sendable, Equatable {
    /// `σ(a·logit(p) + b)`, with `p` clamped to [1e-12, 1 − 1e-12] so that 0 and 1 stay finite.
    case platt(a: Double, b: Double)
    /// Linear between knots; `x` strictly increasing, `y` non-decreasing, constant outside.
    case isotonic(x: [Double], y: [Double])

    /// Probabilities this close to 0 or 1 are read as that bound before the logit.
    public static let logitClamp = 1e-12

    /// The calibrated probability of `p`; NaN stays NaN.
    public func apply(_ p: Double) -> Double {
        if p.isNaN { return p }
        switch self {
        case .platt(let a, let b):
            let q = min(max(p, Self.logitClamp), 1 - Self.logitClamp)
            return DMath.sigmoid(a * DMath.log(q / (1 - q)) + b)
        case .isotonic(let x, let y):
            let n = x.count
            if p <= x[0] { return y[0] }
            if p >= x[n - 1] { return y[n - 1] }
            // The last knot at or below p: x[lo] <= p < x[lo + 1].
            var lo = 0, hi = n - 1
            while hi - lo > 1 {
                let mid = (lo + hi) / 2
                if x[mid] <= p { lo = mid } else { hi = mid }
            }
            return y[lo] + (p - x[lo]) * (y[hi] - y[lo]) / (x[hi] - x[lo])
        }
    }

    /// Refuses maps that are not monotone probability maps, naming the component.
    public func validate(component: String) throws(ModelcError) {
        func fail(_ what: String) -> ModelcError {
            ModelcError(.invalidModel, "component '\(component)': calibrator \(what)")
        }
        switch self {
        case .platt(let a, let b):
            guard a.isFinite, b.isFinite, a >= 0 else { throw fail("platt needs finite a >= 0 and finite b") }
        case .isotonic(let x, let y):
            guard x.count >= 1, x.count == y.count else { throw fail("isotonic needs as many y as x knots, at least one") }
            guard x.count <= ArtifactLimits.maxCalibrationKnots else {
                throw fail("isotonic has \(x.count) knots; at most \(ArtifactLimits.maxCalibrationKnots)")
            }
            for i in x.indices {
                guard x[i] >= 0, x[i] <= 1, y[i] >= 0, y[i] <= 1 else { throw fail("isotonic knot \(i) is outside [0, 1]") }
                if i > 0 {
                    guard x[i] > x[i - 1] else { throw fail("isotonic x must increase strictly (knot \(i))") }
                    guard y[i] >= y[i - 1] else { throw fail("isotonic y must not decrease (knot \(i))") }
                }
            }
        }
    }
}
