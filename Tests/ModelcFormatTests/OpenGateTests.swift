import CModelcKernels
import ModelcFormat
import ModelcRuntime
import XCTest

/// An artifact that opens can be scored (Spec.md §8, §4.3): everything a stream would refuse
/// is refused by the loader, so `inspect`, `registry push` and `mc_model_open` refuse it too.
final class OpenGateTests: XCTestCase {
    /// The loader's and the C ABI's refusal of `model`, which must agree.
    private func refusal(_ model: Modelc_Model, file: StaticString = #filePath, line: UInt = #line) throws -> ModelcError? {
        let bytes = try ArtifactWriter.encode(model)
        var handle: OpaquePointer?
        var err = [CChar](repeating: 0, count: 512)
        let rc = bytes.withUnsafeBufferPointer { mc_model_open_bytes($0.baseAddress, $0.count, &handle, &err, err.count) }
        mc_model_free(handle)
        do {
            _ = try ModelLoader.load(bytes)
            XCTFail("the loader accepted it", file: file, line: line)
            return nil
        } catch {
            XCTAssertEqual(rc, error.code.rawValue, "mc_model_open_bytes", file: file, line: line)
            XCTAssertEqual(String(cString: err), error.message, file: file, line: line)
            XCTAssertNil(handle, file: file, line: line)
            return error
        }
    }

    func testFeatureParametersAreCheckedAtOpen() throws {
        for period in [14.5, 0, .nan, -14, 10001] {
            var m = TestModels.dense()
            m.features.features[1] = Modelc_Feature(FeatureDefinition(name: "rsi_x", kind: .rsi, params: [period]))
            m.features.warmup = 100
            let error = try refusal(m)
            XCTAssertEqual(error?.code, .invalidModel, "period \(period)")
            XCTAssertEqual(error?.message, "feature 1 'rsi_x' (rsi): period must be a whole number from 1 to 10000", "period \(period)")
        }
        var m = TestModels.dense()
        m.features.features[1] = Modelc_Feature(FeatureDefinition(name: "macd", kind: .macd, params: [12]))
        XCTAssertEqual(try refusal(m)?.message, "feature 1 'macd' (macd): takes parameters (fast, slow), got 1")
    }

    func testTooShortWarmupAndNoIntervalAreRefusedAtOpen() throws {
        var m = TestModels.dense()  // log_return_1 and log_return_3: defined from position 3
        m.features.warmup = 2
        XCTAssertEqual(try refusal(m)?.message, "feature warm-up of 2 candles is too short: these features need 3")
        m = TestModels.dense()
        m.features.intervalSeconds = 0
        XCTAssertEqual(try refusal(m)?.message, "feature interval must be > 0 seconds, got 0")
    }

    func testComponentsThatCannotScoreAreRefusedAtOpen() throws {
        var m = TestModels.dense()
        m.components[0].members[0].weight = 0
        XCTAssertEqual(try refusal(m)?.message, "component 'long': member weights must sum to a finite positive number")
        m = TestModels.dense()
        m.components[0].members = []
        XCTAssertEqual(try refusal(m)?.message, "component 'long' has no members")
    }

    /// A tree component over the model's features with no timestep, or reading none of them: a
    /// stream could not feed it a row.
    func testTreeComponentsMustReadARowOfFeatures() throws {
        var m = TestModels.dense()
        var trees = Modelc_TreeEnsemble()
        trees.numFeatures = 2
        var tree = Modelc_Tree()
        tree.splitFeature = [0]
        tree.threshold = [0]
        tree.leftChild = [-1]
        tree.rightChild = [-1]
        tree.defaultLeft = [false]
        tree.missing = [.missingNanDefault]
        tree.leafValue = [0.5]
        trees.trees = [tree]
        var member = Modelc_Member()
        member.trees = trees
        var c = TestModels.component("direction", role: .roleDirection, member: member)
        c.input.window = 0
        m.components.append(c)
        XCTAssertEqual(try refusal(m)?.message, "component 'direction': input.window must be >= 1")
        m.components[1].input.window = 1
        m.components[1].input.features = []
        XCTAssertEqual(try refusal(m)?.message,
                       "component 'direction' reads none of the model's 2 features: a model that computes features from candles scores every component from them")
        m.components[1].input.features = [0, 1]
        XCTAssertNoThrow(try ModelLoader.load(try ArtifactWriter.encode(m)))
    }
}
