import CModelcSchema
import CProtobufC

/// Refuses (`code`) a parsed message (unpacked with `ParseBudget`'s allocator) that holds a string
/// which is not valid UTF-8 or holds a NUL byte, naming the field. proto3 strings must be UTF-8
/// and swift-protobuf refuses any that are not; protobuf-c does not check, and a NUL cuts its C
/// string short, so without this the two readers would read different artifacts.
func checkUTF8<Message>(_ message: UnsafeMutablePointer<Message>, _ code: ErrorCode, _ what: String) throws(ModelcError) {
    var messageName: UnsafePointer<CChar>?
    var field: UnsafePointer<CChar>?
    let base = UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
    guard modelc_strings_valid(base, &messageName, &field) == 0 else { return }
    let name = messageName.map { String(cString: $0) } ?? "?"
    throw ModelcError(code, "\(what): \(name).\(field.map { String(cString: $0) } ?? "?") is not valid UTF-8 without NUL bytes")
}
