import CModelcKernels
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

    /// The crc32-instruction and table variants against a bit-at-a-time reference, over every
    /// length from 0 to 40 and start offsets 0 to 7 (the 8-byte steps and their tails).
    func testEveryVariantMatchesBitwiseReference() {
        func reference(_ bytes: ArraySlice<UInt8>) -> UInt32 {
            var c: UInt32 = 0xFFFF_FFFF
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = (c & 1) != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
            }
            return ~c
        }
        let bytes = (0..<48).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
        forEachKernelVariant {
            XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
            for start in 0..<8 {
                for length in 0...40 {
                    let slice = bytes[start..<(start + length)]
                    XCTAssertEqual(slice.withUnsafeBytes { CRC32C.checksum($0) }, reference(slice), "start \(start) length \(length)")
                }
            }
        }
    }
}
