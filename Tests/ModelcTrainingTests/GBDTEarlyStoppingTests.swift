import Foundation
import XCTest

@testable import ModelcTraining

final class GBDTEarlyStoppingTests: XCTestCase {
    /// Labels unrelated to the features: the validation metric stops improving almost at once.
    static func noise(rows: Int, seed: UInt64) throws -> GBDTDataset {
        var s = GBDTFixtures.Stream(state: seed)
        let x = (0..<(rows * 3)).map { _ in Float(s.normal()) }
        return try GBDTDataset(features: x, columns: 3, labels: (0..<rows).map { _ in s.uniform() < 0.5 })
    }

    func testStopsAfterPatienceAndKeepsTheBestTrees() throws {
        let train = try Self.noise(rows: 1_000, seed: 31)
        let validation = try Self.noise(rows: 500, seed: 32)
        for metric in [StoppingMetric.auc, .logLoss] {
            var p = GBDTParameters()
            p.numTrees = 200
            p.growth = .leafWise(numLeaves: 16)
            p.minDataInLeaf = 5
            p.earlyStopping = EarlyStopping(metric: metric, patience: 5)
            let result = try GBDTTrainer.train(train, validation: validation, parameters: p)
            let history = result.validationHistory
            XCTAssertEqual(result.validationMetric, metric)
            XCTAssertEqual(history.count, result.treesTrained)
            XCTAssertLessThan(result.treesTrained, 200, "\(metric)")
            // The kept trees end at the best value, and nothing after it was better.
            let best = metric == .auc ? history.max()! : history.min()!
            let bestIndex = history.firstIndex(of: best)!
            XCTAssertEqual(result.forest.trees.count, bestIndex + 1)
            XCTAssertEqual(result.treesTrained, bestIndex + 1 + 5)
            // The recorded metric is the forest's metric on the validation rows.
            let margins = GBDTFixtures.margins(result.forest, validation)
            if metric == .auc {
                XCTAssertEqual(history[bestIndex], GBDTFixtures.pairAUC(validation.labels, margins), accuracy: 1e-12)
            } else {
                let loss = zip(validation.labels, margins).map { y, m in log(1 + exp(m)) - (y ? m : 0) }
                XCTAssertEqual(history[bestIndex], loss.reduce(0, +) / Double(loss.count), accuracy: 1e-9)
            }
        }
    }

    /// The label follows feature 0 plus noise: every early tree helps.
    static func signal(rows: Int, seed: UInt64) throws -> GBDTDataset {
        var s = GBDTFixtures.Stream(state: seed)
        var x: [Float] = []
        var y: [Bool] = []
        for _ in 0..<rows {
            let row = [s.normal(), s.normal()]
            x += row.map { Float($0) }
            y.append(row[0] + 0.5 * s.normal() > 0)
        }
        return try GBDTDataset(features: x, columns: 2, labels: y)
    }

    func testRunsToTheEndWhileValidationImproves() throws {
        let train = try Self.signal(rows: 2_000, seed: 33)
        let validation = try Self.signal(rows: 1_000, seed: 34)
        var p = GBDTParameters()
        p.numTrees = 15
        p.growth = .depthWise(maxDepth: 3)
        p.earlyStopping = EarlyStopping(metric: .logLoss, patience: 3)
        let result = try GBDTTrainer.train(train, validation: validation, parameters: p)
        XCTAssertEqual(result.treesTrained, 15)
        XCTAssertEqual(result.forest.trees.count, 15)
        XCTAssertLessThan(result.validationHistory.last!, result.validationHistory.first!)
    }

    func testEarlyStoppingNeedsValidationRows() throws {
        var p = GBDTParameters()
        p.earlyStopping = EarlyStopping()
        XCTAssertThrowsError(try GBDTTrainer.train(try Self.noise(rows: 50, seed: 1), parameters: p)) { error in
            XCTAssertTrue("\(error)".contains("early_stopping"), "\(error)")
        }
    }
}
