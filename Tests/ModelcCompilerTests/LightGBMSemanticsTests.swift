@testable import ModelcCompiler
import ModelcRuntime
import XCTest

/// Random LightGBM text models whose thresholds and inputs crowd the places LightGBM treats
/// specially (the ±1e-35 zero band, NaN under each missing type, ±0), imported and scored by
/// the runtime, against a literal transcription of LightGBM's predictor written here.
final class LightGBMSemanticsTests: XCTestCase {
    static let k = Double(Float(1e-35))
    static let special: [Double] = [0, -0.0, k, -k, k.nextUp, (-k).nextDown, k.nextDown, (-k).nextUp, 1e-36, -1e-36,
                                    1e-38, -1e-38, 0.25, -0.25]

    /// One tree in LightGBM's own numbering: splitting leaf l makes split s (the next index)
    /// with l on its left and a new leaf on its right.
    struct Tree {
        var feature: [Int] = [], threshold: [Double] = [], decision: [Int] = []
        var left: [Int] = [], right: [Int] = [], leafValue: [Double] = [0]
    }

    private func randomTree(_ rng: inout SplitMix64, leaves: Int, features: Int) -> Tree {
        var t = Tree()
        var parentOfLeaf: [(split: Int, isLeft: Bool)?] = [nil]
        while t.leafValue.count < leaves {
            let leaf = Int.random(in: 0..<t.leafValue.count, using: &rng)
            let s = t.feature.count
            t.feature.append(Int.random(in: 0..<features, using: &rng))
            t.threshold.append(Bool.random(using: &rng) ? Self.special.randomElement(using: &rng)! : Double.random(in: -1..<1, using: &rng))
            t.decision.append([0, 2, 4, 6, 8, 10].randomElement(using: &rng)!)  // default-left bit, missing type none / zero / NaN
            t.left.append(~leaf)
            t.right.append(~t.leafValue.count)
            if let p = parentOfLeaf[leaf] {
                if p.isLeft { t.left[p.split] = s } else { t.right[p.split] = s }
            }
            parentOfLeaf[leaf] = (s, true)
            parentOfLeaf.append((s, false))
            t.leafValue.append(0)
        }
        t.leafValue = t.leafValue.map { _ in Double.random(in: -1..<1, using: &rng) }
        return t
    }

    private func text(_ trees: [Tree], features: Int) -> String {
        func join<T>(_ v: [T]) -> String { v.map { "\($0)" }.joined(separator: " ") }
        var s = "tree\nversion=v4\nnum_class=1\nnum_tree_per_iteration=1\nlabel_index=0\nmax_feature_idx=\(features - 1)\nobjective=binary sigmoid:1\n\n"
        for (i, t) in trees.enumerated() {
            s += "Tree=\(i)\nnum_leaves=\(t.leafValue.count)\nnum_cat=0\n"
            if !t.feature.isEmpty {
                s += "split_feature=\(join(t.feature))\nthreshold=\(join(t.threshold))\ndecision_type=\(join(t.decision))\n"
                s += "left_child=\(join(t.left))\nright_child=\(join(t.right))\n"
            }
            s += "leaf_value=\(join(t.leafValue))\nis_linear=0\nshrinkage=1\n\n\n"
        }
        return s + "end of trees\n"
    }

    /// LightGBM's predictor: near-zero inputs read as 0; per split, NaN becomes 0 unless the
    /// missing type is NaN; a missing value goes to the default side; else `x <= t`.
    private func reference(_ trees: [Tree], _ row: [Double]) -> (raw: Double, leaves: [Int]) {
        let x = row.map { abs($0) <= Self.k ? 0 : $0 }
        var raw = 0.0
        var leaves: [Int] = []
        for t in trees {
            var node = t.feature.isEmpty ? -1 : 0
            while node >= 0 {
                var v = x[t.feature[node]]
                let missingType = (t.decision[node] >> 2) & 3
                if v.isNaN && missingType != 2 { v = 0 }
                let isMissing = (missingType == 1 && abs(v) <= Self.k) || (missingType == 2 && v.isNaN)
                let goLeft = isMissing ? (t.decision[node] & 2 != 0) : v <= t.threshold[node]
                node = goLeft ? t.left[node] : t.right[node]
            }
            leaves.append(~node)
            raw += t.leafValue[~node]
        }
        return (raw, leaves)
    }

    func testImportedModelsScoreAsLightGBM() throws {
        var rng = SplitMix64(seed: 11)
        let features = 4
        let trees = (0..<60).map { i in randomTree(&rng, leaves: 1 + i % 12, features: features) }
        let imported = try LightGBMImporter.parse(text(trees, features: features), file: "random.txt")
        let forest = try TreeForest(TreeEnsembleDefinition(imported.ensemble), context: "random")
        let splits = trees.map(\.feature.count)
        for r in 0..<2000 {
            let row: [Double] = (0..<features).map { _ in
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: return .nan
                case 1, 2: return Self.special.randomElement(using: &rng)!
                default: return Double.random(in: -1..<1, using: &rng)
                }
            }
            var leaves = [Int32](repeating: -1, count: trees.count)
            let raw = try row.withUnsafeBufferPointer { buf in
                try leaves.withUnsafeMutableBufferPointer { try forest.margin(buf, leaves: $0) }
            }
            let expected = reference(trees, row)
            XCTAssertEqual(raw.bitPattern, expected.raw.bitPattern, "row \(r): \(row)")
            XCTAssertEqual(zip(leaves, splits).map { Int($0) - $1 }, expected.leaves, "row \(r): \(row)")
        }
    }

    func testNearZeroThresholdsMoveToTheBandEdge() {
        let k = Self.k
        XCTAssertEqual(LightGBMImporter.nearZeroExact(-k), (-k).nextDown)
        XCTAssertEqual(LightGBMImporter.nearZeroExact(-1e-36), (-k).nextDown)
        XCTAssertEqual(LightGBMImporter.nearZeroExact(-0.0), k)
        XCTAssertEqual(LightGBMImporter.nearZeroExact(0), k)
        XCTAssertEqual(LightGBMImporter.nearZeroExact(k.nextDown), k)
        XCTAssertEqual(LightGBMImporter.nearZeroExact(k), k)
        XCTAssertEqual(LightGBMImporter.nearZeroExact((-k).nextDown), (-k).nextDown)
        XCTAssertEqual(LightGBMImporter.nearZeroExact(0.5), 0.5)
    }
}
