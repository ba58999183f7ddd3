/// The unscrambled Sobol' low-discrepancy sequence (Bratley and Fox's Gray-code construction)
/// with Joe and Kuo's direction numbers (`new-joe-kuo-6.21201`, the table SciPy uses), up to 12
/// dimensions: the search's quasi-random sampler (Spec.md §14.5). Point 0 is the origin; a
/// search starts at point 1. Checked against SciPy's `qmc.Sobol(scramble=False)`.
public struct SobolSequence: Sendable {
    /// (s, a, m₁…mₛ) of dimensions 2…12; dimension 1 has every mₖ = 1.
    private static let table: [(s: Int, a: UInt32, m: [UInt32])] = [
        (1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]), (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]), (5, 2, [1, 1, 5, 5, 17]), (5, 4, [1, 1, 5, 5, 5]), (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]), (5, 13, [1, 1, 1, 3, 11]),
    ]
    public static let maxDimensions = 12
    static let bits = 32

    public let dimensions: Int
    /// Direction numbers vₖ (k = 1…32) per dimension, left-aligned in 32 bits.
    private let directions: [[UInt32]]
    private var state: [UInt32]
    private var index: UInt32 = 0

    public init(dimensions: Int) {
        precondition(dimensions >= 1 && dimensions <= Self.maxDimensions, "Sobol' dimensions 1...\(Self.maxDimensions)")
        self.dimensions = dimensions
        var directions: [[UInt32]] = [(1...Self.bits).map { UInt32(1) << (32 - $0) }]
        for d in 1..<dimensions {
            let (s, a, m) = Self.table[d - 1]
            var v = [UInt32](repeating: 0, count: Self.bits)
            for k in 0..<min(s, Self.bits) { v[k] = m[k] << (31 - k) }
            if s < Self.bits {
                for k in s..<Self.bits {
                    var x = v[k - s] ^ (v[k - s] >> s)
                    for j in 1..<s where (a >> (s - 1 - j)) & 1 == 1 { x ^= v[k - j] }
                    v[k] = x
                }
            }
            directions.append(v)
        }
        self.directions = directions
        state = [UInt32](repeating: 0, count: dimensions)
    }

    /// The next point in [0, 1)ᵈ (the first call gives the origin).
    public mutating func next() -> [Double] {
        let point = state.map { Double($0) / 4_294_967_296.0 }
        // Gray code: the next point flips the direction of the lowest zero bit of the index.
        let c = (~index).trailingZeroBitCount
        for d in 0..<dimensions { state[d] ^= directions[d][c] }
        index += 1
        return point
    }
}
