import ModelcRuntime
import XCTest

@testable import ModelcTraining

/// Bad parameters and data are refused with a message naming what is wrong.
final class GBDTParameterTests: XCTestCase {
    static let data = GBDTFixtures.nonlinear(rows: 100, seed: 41)

    func assertRefused(_ change: (inout GBDTParameters) -> Void, naming name: String, line: UInt = #line) {
        var p = GBDTParameters()
        change(&p)
        XCTAssertThrowsError(try GBDTTrainer.train(Self.data, parameters: p), line: line) { error in
            guard let error = error as? ModelcError else { return XCTFail("\(error)", line: line) }
            XCTAssertEqual(error.code, .invalidArgument, line: line)
            XCTAssertTrue(error.message.contains(name), "'\(error.message)' does not name \(name)", line: line)
        }
    }

    func testEachInvalidParameterIsNamed() {
        assertRefused({ $0.numTrees = 0 }, naming: "num_trees")
        assertRefused({ $0.learningRate = 0 }, naming: "learning_rate")
        assertRefused({ $0.learningRate = .nan }, naming: "learning_rate")
        assertRefused({ $0.growth = .depthWise(maxDepth: 0) }, naming: "max_depth")
        assertRefused({ $0.growth = .leafWise(numLeaves: 1) }, naming: "num_leaves")
        assertRefused({ $0.growth = .leafWise(numLeaves: 8, maxDepth: -1) }, naming: "max_depth")
        assertRefused({ $0.lambdaL2 = -1 }, naming: "lambda_l2")
        assertRefused({ $0.alphaL1 = -0.1 }, naming: "alpha_l1")
        assertRefused({ $0.minChildWeight = .infinity }, naming: "min_child_weight")
        assertRefused({ $0.lambdaL2 = 0; $0.minChildWeight = 0 }, naming: "min_child_weight")
        assertRefused({ $0.minDataInLeaf = 0 }, naming: "min_data_in_leaf")
        assertRefused({ $0.minSplitGain = -1 }, naming: "min_split_gain")
        assertRefused({ $0.baggingFraction = 0 }, naming: "bagging_fraction")
        assertRefused({ $0.baggingFraction = 1.5 }, naming: "bagging_fraction")
        assertRefused({ $0.featureFraction = 0 }, naming: "feature_fraction")
        assertRefused({ $0.maxBins = 256 }, naming: "max_bins")
        assertRefused({ $0.maxBins = 1 }, naming: "max_bins")
        assertRefused({ $0.positiveWeight = 0 }, naming: "positive_weight")
        assertRefused({ $0.negativeWeight = -2 }, naming: "negative_weight")
        assertRefused({ $0.earlyStopping = EarlyStopping(patience: 0) }, naming: "early_stopping.patience")
        assertRefused({ $0.threads = -1 }, naming: "threads")
    }

    func testDefaultsAreValid() throws {
        XCTAssertNoThrow(try GBDTParameters().validate())
    }

    func testBadDataIsNamed() {
        func message(_ body: () throws -> Void) -> String {
            do {
                try body()
                return "no error"
            } catch {
                return (error as? ModelcError)?.message ?? "\(error)"
            }
        }
        XCTAssertTrue(message { _ = try GBDTDataset(features: [1, 2, 3], columns: 2, labels: [true]) }.contains("3 feature values"))
        XCTAssertTrue(message { _ = try GBDTDataset(features: [1, 2], columns: 2, labels: [true], weights: [0]) }.contains("row 0"))
        XCTAssertTrue(message { _ = try GBDTDataset(features: [1, 2], columns: 2, labels: [true], weights: [1, 1]) }.contains("2 weights"))
        let oneClass = try! GBDTDataset(features: [1, 2, 3], columns: 1, labels: [true, true, true])
        XCTAssertTrue(message { _ = try GBDTTrainer.train(oneClass, parameters: GBDTParameters()) }.contains("both classes"))
        let narrow = try! GBDTDataset(features: [1, 2], columns: 1, labels: [true, false])
        XCTAssertTrue(
            message { _ = try GBDTTrainer.train(Self.data, validation: narrow, parameters: GBDTParameters()) }.contains("validation"))
    }
}
