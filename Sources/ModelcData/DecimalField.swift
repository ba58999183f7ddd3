#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Decimal numbers in CSV fields, converted to the double nearest the decimal text.
///
/// A field must match `[+-]? (digits [. digits] | . digits) ([eE] [+-]? digits)?` or be one of
/// `nan`, `inf`, `infinity` (any case, optional sign; read so that validation can report them
/// as non-finite with their row). That rejects what strtod would otherwise accept or skip:
/// leading spaces, hex floats, `nan(...)`, trailing junk.
///
/// Conversion: when the digits form an integer m <= 2^53 and the decimal exponent e has
/// |e| <= 22, m and 10^|e| are exact doubles and one IEEE multiplication or division gives the
/// correctly rounded result (Clinger's fast path; nearly every price and volume). Anything else
/// goes to the C library's strtod, correctly rounded in glibc, reading the field in place: the
/// file buffer ends in a NUL byte and every field ends at a comma, CR, LF or that NUL, none of
/// which can continue a number, so strtod consumes exactly the checked field (verified).
enum DecimalField {
    /// 10^0 ... 10^22, all exact doubles.
    static let powersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { power, _ in power * 10 } }

    static func parse(_ f: UnsafeBufferPointer<UInt8>) -> Result<Double, FieldError> {
        guard !f.isEmpty else { return .failure(FieldError("is empty")) }
        var scan = Scanner(f)
        let negative = f[0] == UInt8(ascii: "-")
        if negative || f[0] == UInt8(ascii: "+") { scan.i = 1 }
        if isSpecial(f.slice(scan.i, f.count)) { return viaStrtod(f) }

        var mantissaDigits = scan.digits(fraction: false)
        if scan.next(is: ".") { mantissaDigits += scan.digits(fraction: true) }
        guard mantissaDigits > 0 else { return notANumber(f) }
        var exponent = 0
        if scan.next(is: "e") || scan.next(is: "E") {
            let exponentNegative = scan.next(is: "-")
            if !exponentNegative { _ = scan.next(is: "+") }
            guard let value = scan.exponent() else { return notANumber(f) }
            exponent = exponentNegative ? -value : value
        }
        guard scan.i == f.count else { return notANumber(f) }

        let net = exponent - scan.scale
        guard scan.digitCount <= 19, scan.mantissa <= 1 << 53, (-22...22).contains(net) else { return viaStrtod(f) }
        let magnitude = net >= 0 ? Double(scan.mantissa) * powersOfTen[net] : Double(scan.mantissa) / powersOfTen[-net]
        return .success(negative ? -magnitude : magnitude)
    }

    /// A cursor over one field that gathers the decimal digits (a struct, not captured
    /// variables, so debug builds need no dynamic exclusivity checks per byte).
    struct Scanner {
        let f: UnsafeBufferPointer<UInt8>
        var i = 0
        /// The first 19 digits as an integer (all of them when `digitCount <= 19`).
        var mantissa: UInt64 = 0
        var digitCount = 0
        /// Digits after the decimal point.
        var scale = 0

        init(_ f: UnsafeBufferPointer<UInt8>) { self.f = f }

        /// Consumes `byte` if it comes next.
        mutating func next(is byte: Unicode.Scalar) -> Bool {
            guard i < f.count, f[i] == UInt8(ascii: byte) else { return false }
            i += 1
            return true
        }

        /// Consumes a run of digits into the mantissa; returns how many.
        mutating func digits(fraction: Bool) -> Int {
            let start = i
            while i < f.count {
                let digit = f[i] &- 48
                guard digit < 10 else { break }
                digitCount += 1
                if digitCount <= 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                i += 1
            }
            if fraction { scale += i - start }
            return i - start
        }

        /// Consumes the exponent's digits (capped at 100000, far past any double); nil if none.
        mutating func exponent() -> Int? {
            let start = i
            var value = 0
            while i < f.count {
                let digit = f[i] &- 48
                guard digit < 10 else { break }
                value = min(value * 10 + Int(digit), 100_000)
                i += 1
            }
            return i > start ? value : nil
        }
    }

    static func notANumber(_ f: UnsafeBufferPointer<UInt8>) -> Result<Double, FieldError> {
        .failure(FieldError("\(FieldError.quote(f)) is not a decimal number"))
    }

    /// strtod on a field already checked against the grammar (see the type's comment).
    static func viaStrtod(_ f: UnsafeBufferPointer<UInt8>) -> Result<Double, FieldError> {
        let start = UnsafeRawPointer(f.baseAddress!).assumingMemoryBound(to: CChar.self)
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(start, &end)
        guard let end, UnsafePointer(end) == start + f.count else {
            return .failure(FieldError("\(FieldError.quote(f)) could not be converted (is the C locale's decimal point not '.'?)"))
        }
        return .success(value)
    }

    /// `nan`, `inf` or `infinity` in any case.
    static func isSpecial(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        guard f.count == 3 || f.count == 8, f[0] | 0x20 == UInt8(ascii: "n") || f[0] | 0x20 == UInt8(ascii: "i") else { return false }
        let lower = String(decoding: f.map { $0 | 0x20 }, as: UTF8.self)
        return lower == "nan" || lower == "inf" || lower == "infinity"
    }
}
