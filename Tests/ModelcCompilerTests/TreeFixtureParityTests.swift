import Foundation
@testable import ModelcCompiler
import ModelcFormat
import ModelcRuntime
import XCTest

/// Imports the fixture models, writes and reloads them as artifacts, and checks the runtime's
/// scores against what XGBoost and LightGBM themselves computed for the same 1000 rows: margins
/// bit for bit, the leaf every row reaches in every tree, probabilities to the last ulps (the
/// libraries use libm's exp, the runtime its own).
final class TreeFixtureParityTests: XCTestCase {
    /// Imports, encodes and loads a one-member artifact; returns the member's flattened forest.
    private func loadedForest(_ imported: ImportedEnsemble) throws -> (TreeForest, ComponentDefinition) {
        let model = try TreeArtifact.model(name: "fixture", members: [.init(imported)])
        let loaded = try ModelLoader.load(try ArtifactWriter.encode(model))
        let component = try XCTUnwrap(loaded.components.first)
        return (try XCTUnwrap(component.memberTrees.first ?? nil), component)
    }

    /// Margins and leaves of every row, one row at a time.
    private func score(_ forest: TreeForest, _ rows: [Double], count: Int, width: Int) throws -> ([Double], [[Int32]]) {
        var margins: [Double] = []
        var leaves: [[Int32]] = []
        for r in 0..<count {
            var reached = [Int32](repeating: -1, count: forest.treeCount)
            let m = try rows[r * width..<(r + 1) * width].withUnsafeBufferPointer { row in
                try reached.withUnsafeMutableBufferPointer { try forest.margin(row, leaves: $0) }
            }
            margins.append(m)
            leaves.append(reached)
        }
        return (margins, leaves)
    }

    func testXGBoostMarginsLeavesAndProbabilitiesMatchTheLibrary() throws {
        let imported = try TreeFixtures.imported(.xgboost, "xgb_model.json")
        XCTAssertEqual(imported.library, "xgboost 3.2.0")
        let (forest, component) = try loadedForest(imported)
        XCTAssertEqual(forest.treeCount, 300)
        let (rows, count, width) = try TreeFixtures.rows()
        let (margins, leaves) = try score(forest, rows, count: count, width: width)

        let expectedMargin = try TreeFixtures.float32Bits("xgb_margin.npy")
        let expectedLeaf = try TreeFixtures.npy("xgb_leaf.npy").doubles()
        var marginMismatches: [Int] = [], leafMismatches: [Int] = []
        for r in 0..<count {
            // An f32 ensemble's margin is a float32 value carried in a Double.
            XCTAssertEqual(Double(Float(margins[r])), margins[r])
            if Float(margins[r]).bitPattern != expectedMargin[r] { marginMismatches.append(r) }
            for t in 0..<300 where Double(leaves[r][t]) != expectedLeaf[r * 300 + t] {
                leafMismatches.append(r)
                break
            }
        }
        XCTAssertEqual(marginMismatches, [], "rows whose margin differs from XGBoost's")
        XCTAssertEqual(leafMismatches, [], "rows that reach a different leaf than XGBoost")

        // Batch scoring through the component (on the binned form): same bits, and probabilities
        // within 2 float32 ulps of XGBoost's float32 1/(1+expf(-m)).
        XCTAssertTrue(forest.batchesAreBinned)
        let scores = try rows.withUnsafeBufferPointer { try component.scoreTrees(rows: $0, rowCount: count) }
        let expectedProb = try TreeFixtures.npy("xgb_prob.npy").doubles()
        for r in 0..<count {
            XCTAssertEqual(scores[r].margin.bitPattern, margins[r].bitPattern, "row \(r)")
            let ulp = Double(Float(expectedProb[r]).ulp)
            XCTAssertLessThanOrEqual(abs(scores[r].probability - expectedProb[r]), 2 * ulp, "row \(r)")
        }
    }

    func testLightGBMMarginsLeavesAndProbabilitiesMatchTheLibrary() throws {
        let imported = try TreeFixtures.imported(.lightgbm, "lgb_model.txt")
        let (forest, component) = try loadedForest(imported)
        XCTAssertEqual(forest.treeCount, 300)
        let (rows, count, width) = try TreeFixtures.rows()
        let (margins, leaves) = try score(forest, rows, count: count, width: width)

        let expectedRaw = try TreeFixtures.npy("lgb_raw.npy").doubles()
        let expectedLeaf = try TreeFixtures.npy("lgb_leaf.npy").doubles()
        // LightGBM's leaf k is node (splits + k) in the imported layout.
        let splits = imported.ensemble.trees.map { tree in tree.leftChild.filter { $0 != -1 }.count }
        var marginMismatches: [Int] = [], leafMismatches: [Int] = []
        for r in 0..<count {
            if margins[r].bitPattern != expectedRaw[r].bitPattern { marginMismatches.append(r) }
            for t in 0..<300 where Double(Int(leaves[r][t]) - splits[t]) != expectedLeaf[r * 300 + t] {
                leafMismatches.append(r)
                break
            }
        }
        XCTAssertEqual(marginMismatches, [], "rows whose raw score differs from LightGBM's")
        XCTAssertEqual(leafMismatches, [], "rows that reach a different leaf than LightGBM")

        XCTAssertTrue(forest.batchesAreBinned)
        let scores = try rows.withUnsafeBufferPointer { try component.scoreTrees(rows: $0, rowCount: count) }
        let expectedProb = try TreeFixtures.npy("lgb_prob.npy").doubles()
        for r in 0..<count {
            XCTAssertEqual(scores[r].margin.bitPattern, margins[r].bitPattern, "row \(r)")
            XCTAssertLessThanOrEqual(abs(scores[r].probability - expectedProb[r]), 4 * expectedProb[r].ulp, "row \(r)")
        }
    }

    func testJSONAndUBJSONGiveIdenticalArtifacts() throws {
        let json = try TreeFixtures.imported(.xgboost, "xgb_model.json")
        let ubj = try TreeFixtures.imported(.xgboost, "xgb_model.ubj")
        XCTAssertEqual(json.ensemble, ubj.ensemble)
        XCTAssertEqual(json.library, ubj.library)
        let a = try ArtifactWriter.encode(try TreeArtifact.model(name: "m", members: [.init(json)]))
        var fromUbj = try TreeArtifact.model(name: "m", members: [.init(ubj)])
        // The metadata records the file name; the same name makes the bytes comparable.
        fromUbj.info.metadata["member0.file"] = "xgb_model.json"
        XCTAssertEqual(a, try ArtifactWriter.encode(fromUbj))
    }

    /// import -> write -> read back (both readers) gives the ensemble that was imported.
    func testImportWriteLoadRoundTrip() throws {
        for imported in [try TreeFixtures.imported(.xgboost, "xgb_model.ubj"),
                         try TreeFixtures.imported(.lightgbm, "lgb_model.txt")] {
            let model = try TreeArtifact.model(name: "round-trip", members: [.init(imported, weight: 2)])
            let bytes = try ArtifactWriter.encode(model)
            let artifact = try Artifact(bytes: bytes)
            XCTAssertEqual(artifact.model, model)
            XCTAssertEqual(artifact.model.components[0].members[0].trees, imported.ensemble)
            XCTAssertEqual(artifact.header.requiredCapabilities, [Capability.treeEnsemble])
            let component = artifact.loaded.components[0]
            XCTAssertEqual(component.memberWeights, [2])
            XCTAssertEqual(component.combine, .meanMargin)
            XCTAssertEqual(component.memberTrees[0]?.numFeatures, 23)
            XCTAssertEqual(component.inputCount, 23)
            // Deterministic: the same import encodes to the same bytes.
            XCTAssertEqual(bytes, try ArtifactWriter.encode(model))
        }
    }

    /// XGBoost keeps base_score in probability space and adds -logf(1/p - 1); the fixture's
    /// base_score 0.455035 gives the float32 margin NumPy computes the same way.
    func testXGBoostBaseMarginIsTheFloat32Logit() throws {
        let imported = try TreeFixtures.imported(.xgboost, "xgb_model.json")
        // numpy: -np.log(np.float32(1) / np.float32(0.455035) - np.float32(1)) = -0.18034713 (float32)
        XCTAssertEqual(Float(imported.ensemble.baseScore), -0.18034713)
        XCTAssertEqual(Double(Float(imported.ensemble.baseScore)), imported.ensemble.baseScore)
    }
}
