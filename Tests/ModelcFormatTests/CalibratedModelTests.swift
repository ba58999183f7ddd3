import Foundation
import ModelcFormat
import ModelcRuntime
import XCTest

/// Format 1.1: calibrators and the specialists blend survive the writer (swift-protobuf) and the
/// runtime's reader (protobuf-c), are listed as capabilities, and are refused when malformed.
final class CalibratedModelTests: XCTestCase {
    /// The dense test model with a second LONG component, both calibrated, and a specialists blend.
    private func model() -> Modelc_Model {
        var m = TestModels.dense()
        var second = m.components[0]
        second.name = "long_b"
        m.components.append(second)
        m.components[0].calibrator = Modelc_Calibrator(.isotonic(x: [0.1, 0.5, 0.9], y: [0.05, 0.3, 0.95]))
        m.components[1].calibrator = Modelc_Calibrator(.platt(a: 0.8, b: -0.1))
        m.blend.mode = .blendSpecialists
        m.blend.longInputs = [.with { $0.component = "long"; $0.weight = 2 }, .with { $0.component = "long_b"; $0.weight = 1 }]
        m.blend.longEntry = 0.4
        m.blend.shortEntry = 2
        m.blend.longVeto = 1
        m.blend.shortVeto = 1
        m.blend.hold = 4
        m.blend.maxPosition = 0.5
        return m
    }

    func testCalibratorsAndTheSpecialistsBlendRoundTrip() throws {
        let bytes = try ArtifactWriter.encode(model())
        let header = try Artifact(bytes: bytes).header
        XCTAssertEqual(header.requiredCapabilities, ["calibration", "sequence-network", "specialist-blend"])
        XCTAssertEqual(header.formatMinor, 1)
        let loaded = try ModelLoader.load(bytes)
        XCTAssertEqual(loaded.components[0].calibrator, .isotonic(x: [0.1, 0.5, 0.9], y: [0.05, 0.3, 0.95]))
        XCTAssertEqual(loaded.components[1].calibrator, .platt(a: 0.8, b: -0.1))
        let b = try XCTUnwrap(loaded.blend)
        XCTAssertEqual(b.mode, .specialists)
        XCTAssertEqual(b.longInputs, [BlendInput(component: 0, weight: 2), BlendInput(component: 1, weight: 1)])
        XCTAssertEqual(b.shortInputs, [])
        XCTAssertEqual(b.hold, 4)
        XCTAssertEqual(b.longEntry, 0.4)
        // The component's probability is the calibrated one.
        var raw = model()
        raw.components[0].clearCalibrator()
        let uncalibrated = try ModelLoader.load(try ArtifactWriter.encode(raw))
        let p = try uncalibrated.components[0].probability(window: [0.3, -0.2])
        XCTAssertEqual(try loaded.components[0].probability(window: [0.3, -0.2]), Calibrator.isotonic(x: [0.1, 0.5, 0.9], y: [0.05, 0.3, 0.95]).apply(p))
        XCTAssertEqual(try Artifact(bytes: try ArtifactWriter.encode(raw)).header.requiredCapabilities.contains("calibration"), true,
                       "the second component still has one")
    }

    func testMalformedCalibratorsAndBlendsAreRefusedByName() throws {
        let cases: [(String, (inout Modelc_Model) -> Void)] = [
            ("component 'long': calibrator isotonic y must not decrease",
             { $0.components[0].calibrator = Modelc_Calibrator(.isotonic(x: [0.1, 0.5], y: [0.5, 0.3])) }),
            ("component 'long': calibrator has no method", { $0.components[0].calibrator = Modelc_Calibrator() }),
            ("blend.long_inputs[1] names component 'nope', which does not exist", { $0.blend.longInputs[1].component = "nope" }),
            ("blend.short_inputs[0] names component 'long', whose role does not fit",
             { $0.blend.shortInputs = [.with { $0.component = "long"; $0.weight = 1 }] }),
            ("blend: hold must be in 1...10000 candles", { $0.blend.hold = 0 }),
            ("blend: long_entry must be finite and >= 0", { $0.blend.longEntry = .nan }),
            ("blend: long_inputs weights must have a positive sum", { $0.blend.longInputs[0].weight = 0; $0.blend.longInputs[1].weight = 0 }),
            ("blend: a specialists blend needs long_inputs or short_inputs", { $0.blend.longInputs = [] }),
        ]
        for (message, edit) in cases {
            var m = model()
            edit(&m)
            XCTAssertThrowsError(try ModelLoader.load(try ArtifactWriter.encode(m)), message) { e in
                XCTAssertEqual((e as? ModelcError)?.code, .invalidModel, "\(e)")
                XCTAssertTrue("\(e)".contains(message), "\(e)")
            }
        }
    }
}
