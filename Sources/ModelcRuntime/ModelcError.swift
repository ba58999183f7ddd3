/// Why the runtime refused something. Every failure path of the runtime ends in one of these,
/// returned to the caller (a trap in an Embedded -O build would kill the host process).
/// The raw values are part of the C ABI (`MC_E_*` in modelc.h) and never change meaning.
public enum ErrorCode: Int32, Sendable {
    case badMagic = 1
    case truncatedHeader = 2
    case truncatedBody = 3
    case invalidHeader = 4
    case unsupportedFormat = 5
    case missingCapability = 6
    case checksumMismatch = 7
    case decompressionFailed = 8
    case invalidBody = 9
    case invalidTensor = 10
    case invalidModel = 11
    case limitExceeded = 12
    case io = 13
    case invalidArgument = 14
}

/// An error code plus a message that names what is wrong (the tensor, the field, the offset).
public struct ModelcError: Error, Sendable {
    public let code: ErrorCode
    public let message: String

    public init(_ code: ErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
}
