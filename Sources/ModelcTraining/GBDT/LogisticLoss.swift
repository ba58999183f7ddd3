import ModelcRuntime

/// The binary logistic loss on a margin m (log-odds): loss = log(1 + e^m) - y m, whose first
/// and second derivatives in m are p - y and p (1 - p) with p = sigmoid(m). Computed with the
/// runtime's deterministic DMath, so training gives the same bits on every host.
enum LogisticLoss {
    /// log(1 + e^m) - y m, written as max(m, 0) + log1p(e^-|m|) - y m so it never overflows.
    static func loss(label: Bool, margin m: Double) -> Double {
        max(m, 0) + DMath.log1p(DMath.exp(-m.magnitude)) - (label ? m : 0)
    }

    /// (gradient, hessian) of `loss` in the margin.
    @inline(__always)
    static func derivatives(label: Bool, margin: Double) -> (gradient: Double, hessian: Double) {
        let p = DMath.sigmoid(margin)
        return (p - (label ? 1 : 0), p * (1 - p))
    }

    /// The margin whose probability is `p`: log(p / (1 - p)).
    static func logit(_ p: Double) -> Double { DMath.log(p / (1 - p)) }
}
