import ModelcRuntime

/// Random tree ensembles and rows built to hit every rule of Spec.md §9.3, for the kernel tests.
enum RandomTrees {
    static let k = Double(Float(1e-35))
    /// Thresholds and inputs that sit on the edges the rules care about.
    static let edges: [Double] = [0, -0.0, k, -k, k.nextUp, (-k).nextDown, 1e-38, -1e-38, 0.1, -0.1,
                                  Double(Float(0.1)), 0.5, 1, -1, 3e38, -3e38]

    /// An edge half the time, else uniform in [-2, 2).
    static func edgeOrUniform(_ rng: inout TestRandom) -> Double {
        rng.below(2) == 0 ? rng.pick(edges) : rng.unit() * 2
    }

    /// A random tree in depth-first order (valid, but not the kernel's breadth-first layout): below
    /// the root, a node is a leaf with probability 1/`stop` (never when `stop` is 0) and always at
    /// `maxDepth`.
    static func tree(_ rng: inout TestRandom, features: Int, maxDepth: Int, stop: Int = 4,
                     threshold: (inout TestRandom) -> Double = edgeOrUniform) -> TreeDefinition {
        var tree = TreeDefinition(splitFeature: [], threshold: [], leftChild: [], rightChild: [],
                                  defaultLeft: [], missing: [], leafValue: [])
        func grow(_ depth: Int) -> Int32 {
            let i = Int(tree.appendLeaf(0))
            if depth == maxDepth || (depth > 0 && stop > 0 && rng.below(stop) == 0) {
                tree.leafValue[i] = rng.unit() * (rng.below(2) == 0 ? 1 : 1e-3)
                return Int32(i)
            }
            tree.splitFeature[i] = UInt32(rng.below(features))
            tree.threshold[i] = threshold(&rng)
            tree.defaultLeft[i] = rng.below(2) == 0
            tree.missing[i] = rng.pick([MissingRule.nanDefault, .zeroDefault, .none])
            tree.leftChild[i] = grow(depth + 1)
            tree.rightChild[i] = grow(depth + 1)
            return Int32(i)
        }
        _ = grow(0)
        return tree
    }

    static func row(_ rng: inout TestRandom, _ e: TreeEnsembleDefinition) -> [Double] {
        (0..<e.numFeatures).map { _ in
            switch rng.below(6) {
            case 0: return .nan
            case 1: return rng.pick(edges)
            case 2:
                // A threshold of some split, or a neighbour of it in float64 or float32.
                let tree = rng.pick(e.trees)
                let t = tree.threshold[rng.below(tree.nodeCount)]
                return rng.pick([t, t.nextUp, t.nextDown, Double(Float(t).nextUp), Double(Float(t).nextDown)])
            case 3: return rng.pick([Double.infinity, -.infinity, 1e-45, -1e-45])
            default: return rng.unit() * 2
            }
        }
    }

    /// Margins of `rows` through the batch path.
    static func batch(_ forest: TreeForest, _ rows: [[Double]], width: Int) throws -> [Double] {
        var out = [Double](repeating: .nan, count: rows.count)
        let flat = rows.flatMap { $0 }
        try flat.withUnsafeBufferPointer { buf in
            try out.withUnsafeMutableBufferPointer {
                try forest.margins(buf, rowCount: rows.count, stride: width, into: $0)
            }
        }
        return out
    }
}

extension TreeDefinition {
    /// Appends a leaf (split fields unused) and returns its index.
    mutating func appendLeaf(_ value: Double) -> Int32 {
        splitFeature.append(0)
        threshold.append(0)
        leftChild.append(-1)
        rightChild.append(-1)
        defaultLeft.append(false)
        missing.append(.nanDefault)
        leafValue.append(value)
        return Int32(leftChild.count - 1)
    }
}
