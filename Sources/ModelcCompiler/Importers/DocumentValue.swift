import ModelcFormat

/// A value read from a JSON or UBJSON model file. Numbers keep what the file wrote: JSON's
/// decimal text, UBJSON's binary float32 / float64 / integer. A float32 model value is then
/// parsed once, decimal to float32, never through float64 (that double rounding can move it
/// one ulp).
enum DocumentValue {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(String)
    case float32(Float)
    case float64(Double)
    case string(String)
    case array([DocumentValue])
    case object([(key: String, value: DocumentValue)])
}

/// A value plus where it is (file and key path), so that every complaint names both.
struct DocumentCursor {
    let value: DocumentValue
    let file: String
    let path: String

    init(_ value: DocumentValue, file: String, path: String = "") {
        self.value = value
        self.file = file
        self.path = path
    }

    func fail(_ what: String) -> ImportError {
        ImportError(file, path.isEmpty ? what : "\(path): \(what)")
    }

    /// The member `key` of an object; an error when absent.
    func child(_ key: String) throws(ImportError) -> DocumentCursor {
        guard let found = optionalChild(key) else {
            throw ImportError(file, "\(path.isEmpty ? "" : path + ": ")missing field '\(key)'")
        }
        return found
    }

    func optionalChild(_ key: String) -> DocumentCursor? {
        guard case .object(let members) = value else { return nil }
        for member in members where member.key == key {
            return DocumentCursor(member.value, file: file, path: path.isEmpty ? key : "\(path).\(key)")
        }
        return nil
    }

    func elements() throws(ImportError) -> [DocumentCursor] {
        guard case .array(let items) = value else { throw fail("expected an array") }
        return items.enumerated().map { DocumentCursor($1, file: file, path: "\(path)[\($0)]") }
    }

    func string() throws(ImportError) -> String {
        guard case .string(let s) = value else { throw fail("expected a string") }
        return s
    }

    /// An integer, also when written as a string (XGBoost stores parameters as strings).
    func integer() throws(ImportError) -> Int64 {
        switch value {
        case .integer(let i): return i
        case .decimal(let text), .string(let text):
            if let i = Int64(text) { return i }
        default: break
        }
        throw fail("expected an integer")
    }

    /// A float32 value: decimal text parsed directly to float32 (correctly rounded), binary
    /// float32 as is, integers converted; float64 only when it is exactly a float32.
    func float32() throws(ImportError) -> Float {
        switch value {
        case .float32(let f): return f
        case .integer(let i): return Float(i)
        case .decimal(let text):
            if let f = Float(text) { return f }
        case .float64(let d):
            if Double(Float(d)) == d || d.isNaN { return Float(d) }
            throw fail("float64 value \(d) is not a float32")
        default: break
        }
        throw fail("expected a number")
    }

    func integers() throws(ImportError) -> [Int64] {
        try elements().map { (e) throws(ImportError) in try e.integer() }
    }

    func floats32() throws(ImportError) -> [Float] {
        try elements().map { (e) throws(ImportError) in try e.float32() }
    }
}
