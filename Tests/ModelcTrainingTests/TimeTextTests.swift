import Foundation
import ModelcData
import XCTest

@testable import ModelcTraining

final class TimeTextTests: XCTestCase {
    func testUTCMatchesFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        var samples: [Int64] = [0, -1, -86_400, 951_782_400, 951_868_799, 1_709_164_800, 4_107_542_400, -2_208_988_800]
        var state: UInt64 = 7
        for _ in 0..<500 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            samples.append(Int64(state >> 31) - (1 << 32))  // about 1834 ... 2106
        }
        for t in samples {
            XCTAssertEqual(UTCTime.iso8601(t), formatter.string(from: Date(timeIntervalSince1970: TimeInterval(t))), "\(t)")
        }
    }

    func testSpans() {
        XCTAssertEqual(TimeText.span(8_760 * 3_600), "8760 h")
        XCTAssertEqual(TimeText.span(5_400), "90 min")
        XCTAssertEqual(TimeText.span(45), "45 s")
        XCTAssertEqual(TimeText.span(0), "0 s")
    }
}
