import Foundation
import ModelcFormat
import XCTest

/// `.npy` reading and writing.
final class NpyTests: XCTestCase {
    /// X_test.npy against X_test.csv (the same values printed with %.9g, which round-trips
    /// float32), parsed here with Float(String).
    func testReadsTheFixtureAsNumPyWroteIt() throws {
        let x = try TreeFixtures.npy("X_test.npy")
        XCTAssertEqual(x.dtype, .float32)
        XCTAssertEqual(x.shape, [1000, 23])
        let csv = try String(contentsOfFile: TreeFixtures.path("X_test.csv"), encoding: .utf8)
        let fromCSV: [Float] = csv.split(separator: "\n").filter { !$0.hasPrefix("f") && !$0.hasPrefix("#") }
            .flatMap { $0.split(separator: ",").map { $0 == "nan" ? Float.nan : Float(String($0))! } }
        let values = x.doubles()
        XCTAssertEqual(values.count, fromCSV.count)
        for (i, v) in values.enumerated() {
            XCTAssertEqual(Float(v).bitPattern, fromCSV[i].bitPattern, "element \(i)")
        }
    }

    func testFloat64RoundTrip() throws {
        for shape in [[3], [2, 3], [0, 2]] {
            let values = (0..<shape.reduce(1, *)).map { Double($0) * -0.1 }
            let array = NpyArray(float64: values, shape: shape)
            let bytes = array.encoded()
            XCTAssertEqual((bytes.count - values.count * 8) % 64, 0, "data starts 64-byte aligned")
            let back = try NpyArray(bytes: bytes, file: "a.npy")
            XCTAssertEqual(back, array)
            XCTAssertEqual(back.doubles(), values)
        }
        let header = String(decoding: NpyArray(float64: [1, 2], shape: [2]).encoded().dropFirst(10), as: UTF8.self)
        XCTAssertTrue(header.hasPrefix("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"), header)
    }

    func testRefusalsNameTheFile() {
        func npy(_ header: String, dataBytes: Int) -> [UInt8] {
            let h = header + String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
            return [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(h.utf8.count), 0] + Array(h.utf8) + [UInt8](repeating: 0, count: dataBytes)
        }
        for (bytes, message) in [
            (Array("PK\u{3}\u{4}0000000".utf8), "x.npy: not a .npy file (bad magic)"),
            (npy("{'descr': '>f8', 'fortran_order': False, 'shape': (2,), }", dataBytes: 16),
             "x.npy: dtype '>f8' is not supported (little-endian <f4, <f8, <i2, <i4, <i8)"),
            (npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", dataBytes: 32),
             "x.npy: the array is not in C order (fortran_order must be False)"),
            (npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", dataBytes: 20),
             "x.npy: shape (2, 3) of <f4 needs 24 data bytes, the file has 20"),
        ] {
            XCTAssertThrowsError(try NpyArray(bytes: bytes, file: "x.npy")) { XCTAssertEqual("\($0)", message) }
        }
    }
}
