import Foundation
@testable import ModelcCompiler
import ModelcFormat
import XCTest

/// Small hand-written model files: what each importer maps, and what it refuses and how it says so.
final class TreeImporterTests: XCTestCase {
    /// A one-tree XGBoost JSON model: split on feature 1 at 0.5, leaves -0.25 and 0.75.
    private func xgboost(objective: String = "binary:logistic", booster: String = "gbtree", baseScore: String = "[5E-1]",
                         numClass: String = "0", splitType: String = "[0,0,0]", leftChildren: String = "[1,-1,-1]") -> String {
        #"""
        {"learner": {"attributes": {}, "feature_names": [], "feature_types": [],
          "learner_model_param": {"base_score": "\#(baseScore)", "num_class": "\#(numClass)", "num_feature": "2", "num_target": "1"},
          "objective": {"name": "\#(objective)"},
          "gradient_booster": {"name": "\#(booster)", "model": {"tree_info": [0], "trees": [
            {"left_children": \#(leftChildren), "right_children": [2,-1,-1], "split_indices": [1,0,0],
             "split_conditions": [0.5,-0.25,0.75], "default_left": [1,0,0], "split_type": \#(splitType),
             "tree_param": {"num_deleted": "0", "num_nodes": "3"}}]}}},
         "version": [3, 2, 0]}
        """#
    }

    private func importXGBoost(_ text: String) throws -> ImportedEnsemble {
        try XGBoostImporter.parse(Array(text.utf8), file: "m.json", encoding: .json)
    }

    func testXGBoostMapping() throws {
        let imported = try importXGBoost(xgboost(baseScore: "[2.5E-1]"))
        XCTAssertEqual(imported.library, "xgboost 3.2.0")
        let e = imported.ensemble
        XCTAssertEqual(e.numFeatures, 2)
        XCTAssertEqual(e.comparison, .splitLessThan)
        XCTAssertEqual(e.precision, .thresholdF32)
        XCTAssertEqual(e.link, .logistic)
        XCTAssertEqual(e.source, .treesXgboost)
        // logit(0.25) = -ln 3 in float32.
        XCTAssertEqual(Float(e.baseScore), -Float(1.0986123))
        let tree = e.trees[0]
        XCTAssertEqual(tree.leftChild, [1, -1, -1])
        XCTAssertEqual(tree.rightChild, [2, -1, -1])
        XCTAssertEqual(tree.splitFeature, [1, 0, 0])
        XCTAssertEqual(tree.threshold, [0.5, 0, 0])
        XCTAssertEqual(tree.leafValue, [0, -0.25, 0.75])
        XCTAssertEqual(tree.defaultLeft, [true, false, false])
        XCTAssertEqual(tree.missing, [.missingNanDefault, .missingNanDefault, .missingNanDefault])
    }

    func testXGBoostRefusals() {
        for (text, message) in [
            (xgboost(objective: "reg:pseudohubererror"), "m.json: objective 'reg:pseudohubererror' is not supported (binary:logistic, reg:logistic, reg:squarederror and multi:softprob are)"),
            (xgboost(objective: "multi:softmax"), "m.json: objective 'multi:softmax' is not supported (binary:logistic, reg:logistic, reg:squarederror and multi:softprob are)"),
            (xgboost(objective: "multi:softprob", numClass: "1"), "m.json: multi:softprob with num_class 1 is not supported (2 to 256 classes are)"),
            (xgboost(booster: "gblinear"), "m.json: booster 'gblinear' is not supported (gbtree and dart are)"),
            (xgboost(numClass: "3"), "m.json: models with several outputs (num_class 3, num_target 1) are not supported"),
            (xgboost().replacingOccurrences(of: #""model": {"#, with: #""model": {"cats": {"enc": [["a", "b"]]}, "#),
             "m.json: learner.gradient_booster.model.cats.enc: the model re-codes categories by name (trained on pandas categoricals); not supported"),
            (xgboost(splitType: "[1,0,0]"), "m.json: learner.gradient_booster.model.trees[0]: missing field 'categories'"),
            (xgboost(splitType: "[2,0,0]"), "m.json: learner.gradient_booster.model.trees[0]: split_type must have 3 entries of 0 (numerical) or 1 (categorical)"),
            (xgboost(splitType: "[1,0,0]").replacingOccurrences(of: #""split_type""#,
                with: #""categories": [], "categories_nodes": [], "categories_segments": [], "categories_sizes": [], "split_type""#)
                .replacingOccurrences(of: #""default_left": [1,0,0]"#, with: #""default_left": [0,0,0]"#),
             "m.json: learner.gradient_booster.model.trees[0]: node 0 sends every category left and NaN the other way"),
            (xgboost(baseScore: "[1.5E0]"), "m.json: learner.learner_model_param.base_score: base_score 1.5 is not a probability in (0, 1)"),
            (xgboost(baseScore: "[0.5,0.5]"), "m.json: learner.learner_model_param.base_score: expected one finite number, found '0.5,0.5'"),
            (xgboost(leftChildren: "[1,-1]"), "m.json: learner.gradient_booster.model.trees[0]: right_children has 3 entries, left_children has 2"),
            (xgboost(leftChildren: "[2,-1,-1]"), "m.json: model, tree 0, node 0: children 2 and 2 must be distinct nodes after 0 and below 3"),
        ] {
            XCTAssertThrowsError(try importXGBoost(text)) { XCTAssertEqual("\($0)", message) }
        }
    }

    /// A two-leaf LightGBM model; `tree` replaces the tree block's lines when given.
    private func lightgbm(objective: String = "binary sigmoid:1", decision: String = "2", numCat: String = "0",
                          leafValue: String = "-0.5 0.5", extraHeader: String = "", end: Bool = true) -> String {
        """
        tree
        version=v4
        num_class=1
        num_tree_per_iteration=1
        max_feature_idx=2
        objective=\(objective)
        \(extraHeader)
        Tree=0
        num_leaves=2
        num_cat=\(numCat)
        split_feature=2
        threshold=1.0000000000000001e-40
        decision_type=\(decision)
        left_child=-1
        right_child=-2
        leaf_value=\(leafValue)
        is_linear=0
        shrinkage=1

        \(end ? "end of trees" : "")
        """
    }

    func testLightGBMMapping() throws {
        let imported = try LightGBMImporter.parse(lightgbm(decision: "6"), file: "m.txt")
        let e = imported.ensemble
        XCTAssertEqual(imported.library, "lightgbm (model format v4)")
        XCTAssertEqual(e.numFeatures, 3)
        XCTAssertEqual(e.baseScore, 0)
        XCTAssertEqual(e.comparison, .splitLessEqual)
        XCTAssertEqual(e.precision, .thresholdF64)
        XCTAssertEqual(e.link, .logistic)
        XCTAssertEqual(e.source, .treesLightgbm)
        let tree = e.trees[0]
        XCTAssertEqual(tree.leftChild, [1, -1, -1])
        XCTAssertEqual(tree.rightChild, [2, -1, -1])
        XCTAssertEqual(tree.splitFeature, [2, 0, 0])
        // 1e-40 is inside the zero band: it moves to the band's upper edge.
        XCTAssertEqual(tree.threshold[0], Double(Float(1e-35)))
        XCTAssertEqual(tree.leafValue, [0, -0.5, 0.5])
        XCTAssertEqual(tree.defaultLeft, [true, false, false])
        XCTAssertEqual(tree.missing[0], .missingZeroDefault)
        XCTAssertEqual(try LightGBMImporter.parse(lightgbm(decision: "8"), file: "m.txt").ensemble.trees[0].missing[0], .missingNanDefault)
        XCTAssertEqual(try LightGBMImporter.parse(lightgbm(decision: "0"), file: "m.txt").ensemble.trees[0].missing[0], .missingNone)
    }

    func testLightGBMRefusals() {
        for (text, message) in [
            (lightgbm(decision: "3"), "m.txt: line 13 (Tree=0, decision_type): split 0 is categorical, and num_cat is 0"),
            (lightgbm(decision: "14"), "m.txt: line 13 (Tree=0, decision_type): split 0 has an unknown missing type"),
            (lightgbm(numCat: "1"), "m.txt: line 8 (Tree=0): missing 'cat_boundaries'"),
            (lightgbm(objective: "lambdarank"), "m.txt: line 6 (tree, objective): objective 'lambdarank' is not supported (binary, regression and multiclass are)"),
            (lightgbm(objective: "multiclassova num_class:3"), "m.txt: line 6 (tree, objective): objective 'multiclassova' is not supported (binary, regression and multiclass are)"),
            (lightgbm(objective: "multiclass num_class:3"), "m.txt: line 3 (tree, num_class): num_class must be 3 for objective 'multiclass num_class:3'"),
            (lightgbm(objective: "regression sqrt"), "m.txt: line 6 (tree, objective): regression with sqrt (reg_sqrt) is not supported"),
            (lightgbm(objective: "binary sigmoid:2"), "m.txt: line 6 (tree, objective): sigmoid:2: only sigmoid:1 is supported"),
            (lightgbm(leafValue: "0.5"), "m.txt: line 16 (Tree=0, leaf_value): expected 2 values, found 1"),
            (lightgbm(leafValue: "0.5 x"), "m.txt: line 16 (Tree=0, leaf_value): value 1 'x' is not a number"),
            (lightgbm(extraHeader: "average output"), "m.txt: line 7: expected key=value, found 'average output'"),
            (lightgbm(end: false), "m.txt: no 'end of trees' line: the model is truncated"),
            (lightgbm().replacingOccurrences(of: "is_linear=0", with: "is_linear=1"),
             "m.txt: line 17 (Tree=0, is_linear): linear trees (linear_tree) are not supported"),
            ("not a model\n", "m.txt: not a LightGBM text model (the first line is not 'tree')"),
            ("booster\nend of trees\n", "m.txt: not a LightGBM text model (the first line is not 'tree')"),
        ] {
            XCTAssertThrowsError(try LightGBMImporter.parse(text, file: "m.txt")) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testFilesOfTheWrongKindAreNamed() {
        XCTAssertThrowsError(try TreeLibrary.xgboost.read(path: TreeFixtures.path("lgb_model.txt"))) {
            XCTAssertEqual("\($0)", TreeFixtures.path("lgb_model.txt") + ": not an XGBoost JSON or UBJSON model (it does not start with '{')")
        }
        XCTAssertThrowsError(try TreeLibrary.lightgbm.read(path: TreeFixtures.path("xgb_model.json"))) {
            XCTAssertEqual("\($0)", TreeFixtures.path("xgb_model.json") + ": not a LightGBM text model (the first line is not 'tree')")
        }
    }

    func testMissingFilesAreNamed() {
        XCTAssertThrowsError(try TreeLibrary.lightgbm.read(path: "/nonexistent/m.txt")) {
            XCTAssertEqual("\($0)", "/nonexistent/m.txt: cannot read the file")
        }
    }
}
