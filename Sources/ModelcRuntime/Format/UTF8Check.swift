import CModelcSchema
import CProtobufC

/// Refuses (`code`) a parsed message (unpacked with `ParseBudget`'s allocator) that swift-protobuf
/// would refuse and protobuf-c accepts: a string that is not valid UTF-8 or holds a NUL byte (which
/// cuts a C string short), naming the field. Without this the two readers would read different
/// artifacts. (`modelc_wire_valid`, before the parse, does the same for tags and lengths.)
func checkUTF8<Message>(_ message: UnsafeMutablePointer<Message>, _ code: ErrorCode, _ what: String) throws(ModelcError) {
    var messageName: UnsafePointer<CChar>?
    var field: UnsafePointer<CChar>?
    let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
    guard modelc_strings_valid(base, &messageName, &field) == 0 else { return }
    let name = messageName.map { String(cString: $0) } ?? "?"
    throw ModelcError(code, "\(what): \(name).\(field.map { String(cString: $0) } ?? "?") is not valid UTF-8 without NUL bytes")
}
