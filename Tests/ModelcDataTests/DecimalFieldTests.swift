import Foundation
import ModelcData
import ModelcRuntime
import XCTest

/// Number fields: the nearest double to the decimal text, and refusal of anything else.
final class DecimalFieldTests: XCTestCase {
    /// Parses `texts` as the volume column of consecutive rows.
    func volumes(_ texts: [String]) throws -> CandleTable {
        let rows = texts.enumerated().map { "\(1_502_942_400 + $0.offset * 3600),1,1,1,1,\($0.element)\n" }
        return try TestSupport.parse(TestSupport.header + rows.joined())
    }

    /// Random decimals of every shape the fast path and the strtod path take (up to 17
    /// significant digits, exponents to +-30). The reference is Swift's `Double(String)`, which
    /// calls glibc's correctly rounded strtod: independent of the reader's fast path, which
    /// takes most of these.
    func testRandomDecimalsAreCorrectlyRounded() throws {
        var rng = SplitMix64(seed: 11)
        var texts: [String] = []
        for _ in 0..<4000 {
            let digits = Int.random(in: 1...17, using: &rng)
            var text = String((0..<digits).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
            let point = Int.random(in: 0...digits, using: &rng)
            if point < digits { text.insert(".", at: text.index(text.startIndex, offsetBy: point)) }
            if Bool.random(using: &rng) { text += "e\(Int.random(in: -30...30, using: &rng))" }
            if Int.random(in: 0..<4, using: &rng) == 0 { text = "-" + text }
            texts.append(text)
        }
        let table = try volumes(texts)
        XCTAssertEqual(table.malformed.total, 0, "\(table.malformed.problems.prefix(3))")
        for (text, candle) in zip(texts, table.candles) where candle.volume.bitPattern != Double(text)!.bitPattern {
            XCTFail("\(text): got \(candle.volume), expected \(Double(text)!)")
        }
    }

    /// Hard cases (most beyond the fast path), with bit patterns from Python's float() (David
    /// Gay's correctly rounded dtoa), and the fast path's edges: 2^53 and 10^22.
    func testHardCasesMatchPython() throws {
        let cases: [(String, UInt64)] = [
            ("9007199254740993", 0x4340_0000_0000_0000), ("1e23", 0x44B5_2D02_C7E1_4AF6),
            ("2.2250738585072011e-308", 0x000F_FFFF_FFFF_FFFF), ("4.9e-324", 0x1),
            ("0.30000000000000004", 0x3FD3_3333_3333_3334), ("123456789012345678901234567890", 0x45F8_EE90_FF6C_373E),
            ("1.7976931348623157e308", 0x7FEF_FFFF_FFFF_FFFF), ("0.1e-5", 0x3EB0_C6F7_A0B5_ED8D),
            ("95619.63", 0x40F7_583A_147A_E148), ("47.181009", 0x4047_972B_4D8B_A40E),
            ("2.4703282292062327e-324", 0x0), ("2.4703282292062328e-324", 0x1),
            ("9007199254740992", 0x4340_0000_0000_0000), ("9007199254740992e22", 0x47D0_F0CF_064D_D592),
            ("9007199254740992e-22", 0x3EAE_3920_1017_5EE6), ("-0", 0x8000_0000_0000_0000),
        ]
        let table = try volumes(cases.map(\.0))
        XCTAssertEqual(table.candles.map(\.volume.bitPattern), cases.map(\.1))
    }

    /// Accepted spellings; nan and inf are read so validation can name their rows.
    func testAcceptedSpellings() throws {
        let table = try volumes(["1.", ".5", "+3", "-2", "1E5", "1e+2", "007", "nan", "INF", "-Infinity", "1e400"])
        XCTAssertEqual(table.malformed.total, 0)
        let v = table.candles.map(\.volume)
        XCTAssertEqual(Array(v[0..<7]), [1, 0.5, 3, -2, 100_000, 100, 7])
        XCTAssertTrue(v[7].isNaN)
        XCTAssertEqual(Array(v[8...]), [.infinity, -.infinity, .infinity])
    }

    /// What strtod alone would accept or half-read, and what is plainly not a number.
    func testGarbageIsAMalformedRowNamingTheColumn() throws {
        let garbage = [" 1", "1 ", "0x1p3", "1e", ".", "-", "1.2.3", "nan(1)", "1_000", "12a", "\"5\"", "e5", "++1", "infinit", "1e5.5"]
        let table = try volumes(garbage)
        XCTAssertEqual(table.candles.count, 0)
        XCTAssertEqual(table.malformed.total, garbage.count)
        for (problem, text) in zip(table.malformed.problems, garbage) {
            XCTAssertEqual(problem.kind, .malformedRow)
            XCTAssertEqual(problem.message, "volume \"\(text)\" is not a decimal number")
            XCTAssertNotNil(problem.timestamp, "the timestamp was readable, so the problem carries it")
        }
    }

    func testEmptyFieldsAreNamed() throws {
        let table = try TestSupport.parse(TestSupport.header + "1502942400,1,,1,1,\n")
        XCTAssertEqual(table.malformed.problems.first?.message, "high is empty; volume is empty")
    }
}
