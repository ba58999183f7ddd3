import ModelcRuntime
import XCTest

/// Malformed trees are refused with a message that names the tree and node, before any
/// scoring could loop, read out of bounds or return nonsense.
final class TreeValidationTests: XCTestCase {
    private func valid() -> TreeDefinition {
        TreeDefinition(splitFeature: [1, 0, 0], threshold: [0.5, 0, 0], leftChild: [1, -1, -1], rightChild: [2, -1, -1],
                       defaultLeft: [true, false, false], missing: [.nanDefault, .nanDefault, .nanDefault],
                       leafValue: [0, -1, 1])
    }

    private func refusal(_ edit: (inout TreeDefinition) -> Void, precision: ThresholdPrecision = .f64,
                         numFeatures: Int = 2) -> String? {
        var tree = valid()
        edit(&tree)
        let e = TreeEnsembleDefinition(numFeatures: numFeatures, trees: [valid(), tree], baseScore: 0, link: .logistic,
                                       comparison: .lessThan, precision: precision, source: .native)
        do {
            _ = try TreeForest(e, context: "component 'c', member 0")
            return nil
        } catch {
            return error.message
        }
    }

    func testTheValidTreeLoads() {
        XCTAssertNil(refusal { _ in })
    }

    func testRefusals() {
        XCTAssertEqual(refusal { $0.leftChild = [0, -1, -1] },
                       "component 'c', member 0, tree 1, node 0: children 0 and 2 must be distinct nodes after 0 and below 3")
        XCTAssertEqual(refusal { $0.rightChild = [3, -1, -1] },
                       "component 'c', member 0, tree 1, node 0: children 1 and 3 must be distinct nodes after 0 and below 3")
        XCTAssertEqual(refusal { $0.rightChild = [1, -1, -1] },
                       "component 'c', member 0, tree 1, node 0: children 1 and 1 must be distinct nodes after 0 and below 3")
        XCTAssertEqual(refusal { $0.splitFeature[0] = 2 },
                       "component 'c', member 0, tree 1, node 0: splits on feature 2, the ensemble has 2")
        XCTAssertEqual(refusal { $0.threshold[0] = .nan },
                       "component 'c', member 0, tree 1, node 0: threshold is NaN")
        XCTAssertEqual(refusal { $0.leafValue[2] = .infinity },
                       "component 'c', member 0, tree 1, node 2: leaf value is not finite")
        XCTAssertEqual(refusal({ $0.leafValue[2] = 1e300 }, precision: .f32),
                       "component 'c', member 0, tree 1, node 2: leaf value overflows float32")
        XCTAssertEqual(refusal { $0.missing.removeLast() },
                       "component 'c', member 0, tree 1: node arrays differ in length (left_child has 3, another array 2)")
        XCTAssertEqual(refusal { $0 = TreeDefinition(splitFeature: [], threshold: [], leftChild: [], rightChild: [],
                                                     defaultLeft: [], missing: [], leafValue: []) },
                       "component 'c', member 0, tree 1: has no nodes")
        XCTAssertEqual(refusal({ _ in }, numFeatures: 0), "component 'c', member 0: num_features 0 is outside 1...536870912")
    }

    func testNodesWithTwoParentsOrNoneAreRefused() {
        func tree(left: [Int32], right: [Int32]) -> TreeDefinition {
            let n = left.count
            return TreeDefinition(splitFeature: .init(repeating: 0, count: n), threshold: .init(repeating: 0, count: n),
                                  leftChild: left, rightChild: right, defaultLeft: .init(repeating: false, count: n),
                                  missing: .init(repeating: .nanDefault, count: n), leafValue: .init(repeating: 1, count: n))
        }
        // Node 3 is a child of node 1 and of node 2.
        let twoParents = tree(left: [1, 3, 3, -1, -1, -1], right: [2, 4, 5, -1, -1, -1])
        XCTAssertEqual(refusal { $0 = twoParents }, "component 'c', member 0, tree 1, node 2: a child already has a parent")
        // No split leads to node 3.
        let orphan = tree(left: [1, -1, 4, -1, -1, -1], right: [2, -1, 5, -1, -1, -1])
        XCTAssertEqual(refusal { $0 = orphan }, "component 'c', member 0, tree 1, node 3: no split leads to it")
        XCTAssertNil(refusal { $0 = tree(left: [1, 3, 5, -1, -1, -1, -1], right: [2, 4, 6, -1, -1, -1, -1]) })
    }
}
