import ModelcRuntime
import XCTest

final class CRC32CTests: XCTestCase {
    /// The published check value of CRC-32C (Castagnoli) for "123456789".
    func testCheckValue() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
    }

    /// RFC 3720 (iSCSI), appendix B.4: 32 bytes of zeros, of 0xFF, and an ascending sequence.
    func testRFC3720Vectors() {
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
    }

    func testContinuingEqualsWhole() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let first = bytes[..<377].withUnsafeBytes { CRC32C.checksum($0) }
        let whole = bytes[377...].withUnsafeBytes { CRC32C.checksum($0, continuing: first) }
        XCTAssertEqual(whole, CRC32C.checksum(bytes))
    }
}
