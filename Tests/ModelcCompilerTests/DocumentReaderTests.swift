@testable import ModelcCompiler
import XCTest

/// The JSON and UBJSON readers the XGBoost importer stands on.
final class DocumentReaderTests: XCTestCase {
    private func json(_ text: String) throws -> DocumentCursor {
        DocumentCursor(try JSONDocumentReader.parse(Array(text.utf8), file: "m.json"), file: "m.json")
    }

    func testJSONValues() throws {
        let doc = try json(#" { "a": [1, -2, 0.5, -0, 1e-45, true, false, null], "s": "x\n\u00e9\ud83d\ude00\"\\/", "o": {} } "#)
        let a = try doc.child("a").elements()
        XCTAssertEqual(try a[0].integer(), 1)
        XCTAssertEqual(try a[1].integer(), -2)
        XCTAssertEqual(try a[2].float32(), 0.5)
        XCTAssertEqual(try a[3].float32().sign, .minus)
        XCTAssertEqual(try a[4].float32(), Float.leastNonzeroMagnitude)
        guard case .bool(true) = a[5].value, case .null = a[7].value else { return XCTFail("literals") }
        XCTAssertEqual(try doc.child("s").string(), "x\né😀\"\\/")
        guard case .object(let members) = try doc.child("o").value, members.isEmpty else { return XCTFail("empty object") }
        XCTAssertThrowsError(try doc.child("o").elements()) { XCTAssertEqual("\($0)", "m.json: o: expected an array") }
    }

    func testDecimalParsesStraightToFloat32() throws {
        // Through float64 this lands exactly on the float32 midpoint 1 + 2^-24 and ties to 1.0;
        // parsed directly it is above the midpoint and rounds up.
        let cursor = DocumentCursor(.decimal("1.0000000596046447753906251"), file: "m.json")
        XCTAssertEqual(Float(Double("1.0000000596046447753906251")!), 1)
        XCTAssertEqual(try cursor.float32(), Float(1).nextUp)
        XCTAssertEqual(try DocumentCursor(.string("[4.55035E-1]"), file: "m").string(), "[4.55035E-1]")
    }

    func testJSONErrorsNameTheFileAndOffset() {
        for (text, message) in [("{\"a\": [1 2]}", "m.json: invalid JSON at byte 9: expected ','"),
                                ("{\"a\": tru}", "m.json: invalid JSON at byte 9: expected 'true'"),
                                ("[1, 2", "m.json: invalid JSON at byte 5: unterminated array"),
                                ("{} x", "m.json: invalid JSON at byte 3: unexpected data after the top-level value"),
                                ("[01.]", "m.json: invalid JSON at byte 4: expected digits after '.'"),
                                (String(repeating: "[", count: 300), "m.json: invalid JSON at byte 256: nested deeper than 256")] {
            XCTAssertThrowsError(try json(text), text) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testCursorErrorsNameThePath() throws {
        let doc = try json(#"{"learner": {"trees": [{"left": [1, "x"]}]}}"#)
        let tree = try doc.child("learner").child("trees").elements()[0]
        XCTAssertThrowsError(try tree.child("left").integers()) {
            XCTAssertEqual("\($0)", "m.json: learner.trees[0].left[1]: expected an integer")
        }
        XCTAssertThrowsError(try tree.child("right")) {
            XCTAssertEqual("\($0)", "m.json: learner.trees[0]: missing field 'right'")
        }
    }

    /// Big-endian UBJSON, as XGBoost writes it: objects with counted and open forms, a typed
    /// float32 array, integers of each width, no-op markers.
    func testUBJSONValues() throws {
        func s(_ text: String) -> [UInt8] { [UInt8(ascii: "i"), UInt8(text.utf8.count)] + Array(text.utf8) }
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes += s("f") + [UInt8(ascii: "["), UInt8(ascii: "$"), UInt8(ascii: "d"), UInt8(ascii: "#"), UInt8(ascii: "i"), 2]
        bytes += [0x3E, 0x0B, 0x22, 0x06, 0xBF, 0x80, 0x00, 0x00]              // 0.13587198, -1
        bytes += s("n") + [UInt8(ascii: "["), UInt8(ascii: "i"), 0xFF, UInt8(ascii: "U"), 0xFF, UInt8(ascii: "I"), 0x80, 0x00,
                           UInt8(ascii: "N"), UInt8(ascii: "l"), 0xFF, 0xFF, 0xFF, 0xFE,
                           UInt8(ascii: "L"), 0, 0, 0, 1, 0, 0, 0, 0, UInt8(ascii: "]")]
        bytes += s("s") + [UInt8(ascii: "S")] + s("[5E-1]")
        bytes += s("o") + [UInt8(ascii: "{"), UInt8(ascii: "#"), UInt8(ascii: "i"), 1] + s("t") + [UInt8(ascii: "T")]
        bytes += [UInt8(ascii: "}")]
        let doc = DocumentCursor(try UBJSONDocumentReader.parse(bytes, file: "m.ubj"), file: "m.ubj")
        XCTAssertEqual(try doc.child("f").floats32(), [0.13587198, -1])
        XCTAssertEqual(try doc.child("n").integers(), [-1, 255, -32768, -2, 1 << 32])
        XCTAssertEqual(try doc.child("s").string(), "[5E-1]")
        guard case .bool(true) = try doc.child("o").child("t").value else { return XCTFail("bool") }
    }

    func testUBJSONErrorsNameTheFileAndOffset() {
        for (bytes, message) in [([UInt8(ascii: "["), UInt8(ascii: "i")], "m.ubj: invalid UBJSON at byte 2: unexpected end of file"),
                                 ([UInt8(ascii: "?")], "m.ubj: invalid UBJSON at byte 1: unknown type marker 0x3f"),
                                 ([UInt8(ascii: "["), UInt8(ascii: "#"), UInt8(ascii: "i"), 100], "m.ubj: invalid UBJSON at byte 4: container count 100 runs past the end"),
                                 ([UInt8(ascii: "S"), UInt8(ascii: "i"), 9, 0x41], "m.ubj: invalid UBJSON at byte 3: string length 9 runs past the end")] {
            XCTAssertThrowsError(try UBJSONDocumentReader.parse(bytes, file: "m.ubj")) { XCTAssertEqual("\($0)", message) }
        }
    }
}
