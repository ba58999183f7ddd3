import Foundation
@testable import ModelcTraining
import XCTest

/// The search's Sobol' points against SciPy's (Fixtures/sobol.json, Tools/fixtures/sobol.py).
final class SobolSequenceTests: XCTestCase {
    struct Fixture: Decodable { let points: [[Double]] }

    func testTheFirst256PointsIn12DimensionsAreSciPys() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/sobol.json")
        let expected = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: file)).points
        var s = SobolSequence(dimensions: 12)
        for (i, point) in expected.enumerated() { XCTAssertEqual(s.next(), point, "point \(i)") }
        var three = SobolSequence(dimensions: 3)
        for point in expected.prefix(20) { XCTAssertEqual(three.next(), Array(point.prefix(3)), "a prefix of the dimensions") }
    }
}
