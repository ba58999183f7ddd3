/// `torch.nn.utils.clip_grad_norm_`: when the global L2 norm exceeds `maxNorm`, scales every
/// gradient by `maxNorm / (norm + 1e-6)`. Returns the norm before clipping (summed in Double).
public enum GradientClipping {
    @discardableResult
    public static func clip(_ g: UnsafeMutablePointer<Float>, count: Int, maxNorm: Double?) -> Double {
        var sum = 0.0
        for i in 0..<count { sum += Double(g[i]) * Double(g[i]) }
        let norm = sum.squareRoot()
        if let maxNorm {
            let coefficient = maxNorm / (norm + 1e-6)
            if coefficient < 1 {
                let c = Float(coefficient)
                for i in 0..<count { g[i] *= c }
            }
        }
        return norm
    }
}
