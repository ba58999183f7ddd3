import Foundation
@testable import ModelcPipeline
import ModelcTestSupport
import ModelcTraining
import XCTest

/// The config keys of format 1.1 builds (Spec.md §14.1): defaults, configs written for 1.0, and
/// bad calibration, blend and search settings refused naming the key and what is allowed.
extension BuildConfigTests {
    private func specialistMessage(_ yaml: String) -> String { message("data: {files: [a.csv]}\n" + yaml) }

    func testDefaultsAreCalibratedSpecialistsWithAFittedPolicy() throws {
        let c = try load("data: {files: [a.csv]}\n")
        XCTAssertEqual(c.trees.targets, [.long, .short])
        XCTAssertEqual(c.trees.features.count, 23)
        XCTAssertEqual(c.calibration, .isotonic)
        XCTAssertTrue(c.blend.fit)
        XCTAssertEqual(c.blend.objective, .excessReturn)
        XCTAssertEqual(c.blend.confidence, 0.95)
        XCTAssertFalse(c.search.enabled)
        XCTAssertTrue(c.trees.refit)
        let both = try load("data: {files: [a.csv]}\ntrees: {policy: both, num_leaves: 15, max_depth: 5}\n")
        XCTAssertEqual(both.trees.growths, [.leafWise(numLeaves: 15, maxDepth: 0), .depthWise(maxDepth: 5)])
    }

    func testAConfigWrittenForFormat1_0BuildsTheDirectionModelItAlwaysBuilt() throws {
        let c = try load("data: {files: [a.csv]}\nblend: {entry_threshold: 0.55, veto_threshold: 0.2}\n")
        XCTAssertEqual(c.trees.targets, [.direction])
        XCTAssertEqual(c.calibration, CalibrationMethod.none)
        XCTAssertFalse(c.trees.refit)
        XCTAssertFalse(c.blend.fit)
        XCTAssertEqual(c.blend.entryThreshold, 0.55)
        let models = RepositoryPaths.root.appendingPathComponent("Models")
        for name in ["quickstart", "seed-dual", "dev-coins"] {
            XCTAssertNoThrow(try BuildConfig.load(path: models.appendingPathComponent("\(name).yaml").path), name)
        }
        let seed = try BuildConfig.load(path: models.appendingPathComponent("seed-dual.yaml").path)
        XCTAssertEqual(seed.trees.targets, [.direction])
        let quick = try BuildConfig.load(path: models.appendingPathComponent("quickstart.yaml").path)
        XCTAssertEqual(quick.search.trials, 4)
        XCTAssertEqual(quick.blend.confidence, 0, "the quickstart shows the fit at work without proving an edge")
        XCTAssertEqual(quick.search.dimensions.map(\.key), ["trees.learning_rate", "trees.num_leaves", "trees.min_data_in_leaf"])
    }

    func testBadSettingsNameTheKeyAndTheAllowedValues() {
        let cases: [(String, [String])] = [
            ("calibration: {method: sigmoid}\n", ["calibration.method", "isotonic, platt, none"]),
            ("calibration: {metod: platt}\n", ["calibration.metod", "unknown key", "method"]),
            ("trees: {targets: [direction, long]}\n", ["trees.targets", "direction stands alone"]),
            ("trees: {targets: [long, long]}\n", ["trees.targets[1]", "listed twice"]),
            ("trees: {targets: [up]}\n", ["trees.targets[0]", "long, short, direction"]),
            ("trees: {policy: random}\n", ["trees.policy", "leaf_wise, depth_wise, both"]),
            ("blend: {long_entry: 0.3}\n", ["blend.long_entry", "fit: false"]),
            ("blend: {fit: false, objective: sharpe}\n", ["blend.objective", "only with `fit: true`"]),
            ("blend: {objective: profit}\n", ["blend.objective", "excess_return, return, sharpe"]),
            ("blend: {confidence: 1}\n", ["blend.confidence", "outside [0.0, 0.999999]"]),
            ("blend: {confidence: high}\n", ["blend.confidence", "expected a number"]),
            ("blend: {fit: false, confidence: 0.9}\n", ["blend.confidence", "only with `fit: true`"]),
            ("blend: {entry_threshold: 0.6, long_entry: 0.3}\n", ["blend.long_entry", "only for the specialists blend"]),
            ("trees: {targets: [long, short]}\nblend: {kelly_fraction: 0.5}\n", ["blend.kelly_fraction", "only for the direction blend"]),
            ("search: {trials: 4}\n", ["search", "name at least one range"]),
            ("search: {trials: 4, trees: {learning_rate: [0.2, 0.02]}}\n", ["search.trees.learning_rate", "below its high end"]),
            ("search: {trials: 4, trees: {learning_rate: [0.02]}}\n", ["search.trees.learning_rate", "[low, high]"]),
            ("search: {trials: 4, trees: {num_leaves: [1, 8]}}\n", ["search.trees.num_leaves[0]", "outside [2.0, 4096.0]"]),
            ("search: {trials: 4, trees: {leaves: [2, 8]}}\n", ["search.trees.leaves", "unknown key", "num_leaves"]),
            ("search: {trials: 4, trees: {features: [base, all]}}\n", ["search.trees.features[1]", "base, base+crash"]),
            ("search: {trials: 4, sampler: grid, trees: {num_leaves: [2, 8]}}\n", ["search.sampler", "sobol, random"]),
            ("networks: {long: {enabled: false}, short: {enabled: false}}\nsearch: {trials: 2, networks: {hidden_size: [8, 16]}}\n",
             ["search", "no network is trained"]),
        ]
        for (yaml, expected) in cases {
            let m = specialistMessage(yaml)
            for e in expected { XCTAssertTrue(m.contains(e), "\(yaml) -> \(m) (expected '\(e)')") }
        }
    }
}
