#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Decimal numbers in CSV fields, converted by the C library's strtod (correctly rounded in
/// glibc), so a price reads as the double nearest its decimal text.
///
/// A field is first checked against the grammar `[+-]? (digits [. digits] | . digits)
/// ([eE] [+-]? digits)?` or one of `nan`, `inf`, `infinity` (any case, optional sign; they are
/// read so that validation can report them as non-finite with their row). That rejects what
/// strtod would otherwise accept or skip: leading spaces, hex floats, `nan(...)`, trailing junk.
/// strtod then reads the field in place: the file buffer ends in a NUL byte and every field
/// ends at a comma, CR, LF or that NUL, none of which can continue a number, so it consumes
/// exactly the checked field (and the reader checks that it did).
enum DecimalField {
    static func parse(_ field: UnsafeBufferPointer<UInt8>) -> Result<Double, FieldError> {
        guard !field.isEmpty else { return .failure(FieldError("is empty")) }
        guard isDecimal(field) else {
            return .failure(FieldError("\"\(String(decoding: field, as: UTF8.self))\" is not a decimal number"))
        }
        let start = UnsafeRawPointer(field.baseAddress!).assumingMemoryBound(to: CChar.self)
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(start, &end)
        guard let end, UnsafePointer(end) == start + field.count else {
            return .failure(FieldError("\"\(String(decoding: field, as: UTF8.self))\" could not be converted (is the C locale's decimal point not '.'?)"))
        }
        return .success(value)
    }

    static func isDecimal(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if f[0] == UInt8(ascii: "+") || f[0] == UInt8(ascii: "-") { i = 1 }
        if isSpecial(UnsafeBufferPointer(rebasing: f[i...])) { return true }
        func digits() -> Int {
            let start = i
            while i < f.count && f[i] &- UInt8(ascii: "0") < 10 { i += 1 }
            return i - start
        }
        var mantissaDigits = digits()
        if i < f.count && f[i] == UInt8(ascii: ".") {
            i += 1
            mantissaDigits += digits()
        }
        guard mantissaDigits > 0 else { return false }
        if i < f.count && (f[i] == UInt8(ascii: "e") || f[i] == UInt8(ascii: "E")) {
            i += 1
            if i < f.count && (f[i] == UInt8(ascii: "+") || f[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == f.count
    }

    /// `nan`, `inf` or `infinity` in any case.
    static func isSpecial(_ f: UnsafeBufferPointer<UInt8>) -> Bool {
        guard f.count == 3 || f.count == 8, f[0] | 0x20 == UInt8(ascii: "n") || f[0] | 0x20 == UInt8(ascii: "i") else { return false }
        let lower = String(decoding: f.map { $0 | 0x20 }, as: UTF8.self)
        return lower == "nan" || lower == "inf" || lower == "infinity"
    }
}
