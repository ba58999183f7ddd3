import Foundation
import XCTest

@testable import ModelcTraining

/// The trainer's split search against an exhaustive one written here: every partition a rule
/// "x < t, NaN to one side" can make, scored with the textbook formula in Double.
final class GBDTSplitTests: XCTestCase {
    struct Best {
        var gain = -Double.infinity
        var secondGain = -Double.infinity  // best gain of any other partition
        var feature = -1
        var left: Set<Int> = []
    }

    /// Gradients at the base score (the logit of the positive rate), as the first tree sees
    /// them, computed here with Foundation's exp.
    static func gradients(_ labels: [Bool]) -> [(g: Double, h: Double)] {
        let rate = Double(labels.filter { $0 }.count) / Double(labels.count)
        let base = log(rate / (1 - rate))
        let p = 1 / (1 + exp(-base))
        return labels.map { ($0 ? p - 1 : p, p * (1 - p)) }
    }

    static func bruteForce(
        _ data: GBDTDataset, lambda: Double, alpha: Double, minData: Int, minHessian: Double
    ) -> Best {
        let gh = gradients(data.labels)
        func soft(_ g: Double) -> Double { g > alpha ? g - alpha : (g < -alpha ? g + alpha : 0) }
        func score(_ rows: [Int]) -> Double {
            let g = rows.reduce(0) { $0 + gh[$1].g }
            let h = rows.reduce(0) { $0 + gh[$1].h }
            return soft(g) * soft(g) / (h + lambda)
        }
        let all = Array(0..<data.rows)
        let parent = score(all)
        var best = Best()
        var seen: Set<Set<Int>> = []
        for f in 0..<data.columns {
            let values = Set(all.compactMap { data[$0, f].isNaN ? nil : data[$0, f] }).sorted()
            // Thresholds: below everything, between each pair of neighbours, above everything.
            var thresholds = [-Double.infinity]
            for i in 1..<max(values.count, 1) { thresholds.append((Double(values[i - 1]) + Double(values[i])) / 2) }
            thresholds.append(.infinity)
            for t in thresholds {
                for nanLeft in [false, true] {
                    let left = all.filter { data[$0, f].isNaN ? nanLeft : Double(data[$0, f]) < t }
                    let right = all.filter { !left.contains($0) }
                    let hl = left.reduce(0) { $0 + gh[$1].h }
                    let hr = right.reduce(0) { $0 + gh[$1].h }
                    guard left.count >= minData, right.count >= minData, hl >= minHessian, hr >= minHessian else { continue }
                    let side = Set(left.count * 2 < data.rows || (left.count * 2 == data.rows && left.contains(0)) ? left : right)
                    if seen.contains(side) { continue }  // the same partition (or its mirror) again
                    seen.insert(side)
                    let gain = score(left) + score(right) - parent
                    if gain > best.gain {
                        best.secondGain = best.gain
                        best = Best(gain: gain, secondGain: best.secondGain, feature: f, left: Set(left))
                    } else if gain > best.secondGain {
                        best.secondGain = gain
                    }
                }
            }
        }
        return best
    }

    /// Trains one stump (learning rate 1) and returns it with its gain.
    static func stump(_ data: GBDTDataset, lambda: Double, alpha: Double = 0, minData: Int, minHessian: Double) throws
        -> (tree: TrainedTree, gain: Double)
    {
        var p = GBDTParameters()
        p.numTrees = 1
        p.learningRate = 1
        p.growth = .depthWise(maxDepth: 1)
        p.lambdaL2 = lambda
        p.alphaL1 = alpha
        p.minDataInLeaf = minData
        p.minChildWeight = minHessian
        let forest = try GBDTTrainer.train(data, parameters: p).forest
        return (forest.trees[0], forest.importance.gain.reduce(0, +))
    }

    func testHandMadeSplitEqualsExhaustiveBestWithNaNSentLeft() throws {
        // Feature 1 separates: low values and NaN are mostly negative. Feature 0 has ties and is
        // weaker; feature 2 is noise.
        let rows: [[Float]] = [
            [1, 0.5, 3], [1, 0.7, 1], [2, .nan, 2], [2, 0.9, 5], [3, 1.1, 4], [3, .nan, 1],
            [1, 2.5, 2], [2, 2.7, 3], [3, 3.0, 5], [3, 3.2, 4], [2, 2.9, 1], [1, 0.6, 2],
        ]
        let labels = [false, false, false, false, true, false, true, true, true, true, true, false]
        let data = try GBDTDataset(features: rows.flatMap { $0 }, columns: 3, labels: labels)
        let reference = Self.bruteForce(data, lambda: 1, alpha: 0, minData: 1, minHessian: 0)
        XCTAssertEqual(reference.feature, 1)
        XCTAssertGreaterThan(reference.gain - reference.secondGain, 1e-3)
        let (tree, gain) = try Self.stump(data, lambda: 1, minData: 1, minHessian: 0)
        XCTAssertEqual(Int(tree.splitFeature[0]), 1)
        XCTAssertTrue(tree.defaultLeft[0], "NaN rows are negative like the low values")
        XCTAssertEqual(gain, reference.gain, accuracy: 1e-6 * reference.gain)
        let left = Set((0..<12).filter { GBDTFixtures.leafNode(tree, GBDTFixtures.row(data, $0)) == Int(tree.leftChild[0]) })
        XCTAssertEqual(left, reference.left)
        // Leaf values: -G / (H + lambda) of each side.
        let gh = Self.gradients(labels)
        for (child, rows) in [(tree.leftChild[0], left), (tree.rightChild[0], Set(0..<12).subtracting(left))] {
            let g = rows.reduce(0) { $0 + gh[$1].g }
            let h = rows.reduce(0) { $0 + gh[$1].h }
            XCTAssertEqual(tree.leafValue[Int(child)], -g / (h + 1), accuracy: 1e-6)
        }
    }

    func testRandomSmallSetsMatchExhaustiveSearchWithRegularisation() throws {
        var checked = 0
        for seed in UInt64(1)...12 {
            var s = GBDTFixtures.Stream(state: seed)
            var x: [Float] = []
            var y: [Bool] = []
            for _ in 0..<40 {
                // Few distinct values (ties), some NaN, labels loosely tied to feature 0.
                let a = Float(Int(s.uniform() * 8))
                let b = s.uniform() < 0.2 ? Float.nan : Float(Int(s.uniform() * 5)) / 4
                let c = Float(s.normal())
                x += [a, b, c]
                y.append(Double(a) / 8 + 0.6 * s.uniform() > 0.7)
            }
            guard y.contains(true), y.contains(false) else { continue }
            let data = try GBDTDataset(features: x, columns: 3, labels: y)
            let (lambda, alpha, minData, minHessian) = (0.5, seed % 2 == 0 ? 0.3 : 0, 3, 0.5)
            let reference = Self.bruteForce(data, lambda: lambda, alpha: alpha, minData: minData, minHessian: minHessian)
            guard reference.gain > 0 else { continue }
            let (tree, gain) = try Self.stump(data, lambda: lambda, alpha: alpha, minData: minData, minHessian: minHessian)
            XCTAssertEqual(gain, reference.gain, accuracy: 1e-6 * reference.gain, "seed \(seed)")
            // Float32 gradients make near-ties ambiguous: compare the partition only with a gap.
            guard reference.gain - reference.secondGain > 1e-5 * reference.gain else { continue }
            checked += 1
            XCTAssertEqual(Int(tree.splitFeature[0]), reference.feature, "seed \(seed)")
            let left = Set((0..<40).filter { GBDTFixtures.leafNode(tree, GBDTFixtures.row(data, $0)) == Int(tree.leftChild[0]) })
            let right = Set(0..<40).subtracting(left)
            XCTAssertTrue(left == reference.left || right == reference.left, "seed \(seed)")
        }
        XCTAssertGreaterThanOrEqual(checked, 6)
    }

    func testNoSplitWhenGainIsBelowMinSplitGain() throws {
        let data = GBDTFixtures.nonlinear(rows: 300, seed: 9)
        var p = GBDTParameters()
        p.numTrees = 1
        p.growth = .depthWise(maxDepth: 1)
        let gain = try GBDTTrainer.train(data, parameters: p).forest.importance.gain.reduce(0, +)
        XCTAssertGreaterThan(gain, 0)
        p.minSplitGain = gain  // strictly larger is required
        let tree = try GBDTTrainer.train(data, parameters: p).forest.trees[0]
        XCTAssertEqual(tree.nodeCount, 1, "the root stays a leaf")
    }
}
